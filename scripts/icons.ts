import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

import { type AppIcon, appIcons, appPackageDir } from './package';

/** How we start Debian's Chromium: headless, no sandbox (we run as root in CI), no network of its own. */
export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
};

/**
 * Renders each icon's SVG in headless Chromium at its exact size on a transparent background and
 * returns the PNG bytes by output name. Outline icons are normalized to pure white, keeping only
 * the coverage (alpha) Chromium computed, so anti-aliased edges cannot drift off white.
 */
export async function renderIcons(
  icons: readonly AppIcon[] = appIcons,
  dir: string = appPackageDir(),
): Promise<Map<string, Buffer>> {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const rendered = new Map<string, Buffer>();
    for (const icon of icons) {
      const svg = readFileSync(join(dir, icon.source));
      const page = await browser.newPage({
        viewport: { width: icon.size, height: icon.size },
        deviceScaleFactor: 1,
      });
      const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          `<img id="icon" src="${src}" width="${icon.size}" height="${icon.size}" style="display:block"></body></html>`,
      );
      await page.locator('#icon').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
      const shot = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: icon.size, height: icon.size },
      });
      await page.close();
      rendered.set(icon.output, icon.whiteOnly ? whiten(shot) : PNG.sync.write(PNG.sync.read(shot)));
    }
    return rendered;
  } finally {
    await browser.close();
  }
}

function whiten(png: Buffer): Buffer {
  const image = PNG.sync.read(png);
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i + 3] === 0) image.data.fill(0, i, i + 3);
    else image.data.fill(255, i, i + 3);
  }
  return PNG.sync.write(image);
}

async function main(): Promise<void> {
  const dir = appPackageDir();
  for (const [name, png] of await renderIcons(appIcons, dir)) {
    writeFileSync(join(dir, name), png);
    process.stdout.write(`Wrote appPackage/${name}\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
