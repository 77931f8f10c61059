import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PNG } from 'pngjs';

import { renderIcons } from '../../scripts/icons';
import { appIcons, appPackageDir } from '../../scripts/package';

describe('the app icons (npm run icons)', () => {
  let rendered: Map<string, Buffer>;
  beforeAll(async () => {
    rendered = await renderIcons();
  }, 60_000);

  it.each(appIcons.map((icon) => [icon.output, icon] as const))(
    '%s is what its SVG source renders to, at the size Teams wants',
    (_name, icon) => {
      const fresh = PNG.sync.read(rendered.get(icon.output) ?? Buffer.alloc(0));
      const committed = PNG.sync.read(readFileSync(join(appPackageDir(), icon.output)));
      expect([fresh.width, fresh.height]).toEqual([icon.size, icon.size]);
      expect([committed.width, committed.height]).toEqual([icon.size, icon.size]);
      // Anti-aliasing may differ by a shade between Chromium builds; a changed drawing differs by far more.
      let differing = 0;
      for (let i = 0; i < fresh.data.length; i += 4) {
        for (let c = 0; c < 4; c++) {
          if (Math.abs((fresh.data[i + c] ?? 0) - (committed.data[i + c] ?? 0)) > 24) {
            differing++;
            break;
          }
        }
      }
      expect({ file: icon.output, stale: differing / (icon.size * icon.size) > 0.01 }).toEqual({
        file: icon.output,
        stale: false,
      });
    },
  );

  it('renders the outline icon white on transparent, with transparent corners', () => {
    const outline = PNG.sync.read(rendered.get('outline.png') ?? Buffer.alloc(0));
    const colours = new Set<string>();
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] !== 0) colours.add(outline.data.subarray(i, i + 3).toString('hex'));
    }
    expect([...colours]).toEqual(['ffffff']);
    expect([0, 31, 32 * 31, 32 * 32 - 1].map((p) => outline.data[p * 4 + 3])).toEqual([0, 0, 0, 0]);
  });
});
