import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { packageRoot } from '../../src/paths';

/** Every TypeScript file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('botbuilder and restify stay at the edge: of the bot, cards, dev and state modules only the handler imports them', () => {
  const src = join(packageRoot(), 'src');
  const importers = ['bot', 'cards', 'dev', 'state']
    .flatMap((dir) => sources(join(src, dir)))
    .filter((file) => /from '(botbuilder|restify)[^']*'/.test(readFileSync(file, 'utf8')))
    .map((file) => relative(src, file))
    .sort();
  expect(importers).toEqual(['bot/handler.ts']);
});
