import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

import { AcrcheckError } from '../src/errors';
import { packageRoot } from '../src/paths';

/** What the bot needs at run time, copied from the checkout (after `npm run build`). */
export const webappContents = ['dist', 'cards', 'locales', 'package.json', 'package-lock.json'] as const;

/** Where the Agents Toolkit's `azureAppService/zipDeploy` picks the web app up (git-ignored). */
export function webappDir(): string {
  return join(packageRoot(), 'artifacts', 'webapp');
}

/**
 * Stages the bot for App Service: the compiled code, cards and locales, and production dependencies
 * only (`npm ci --omit=dev --omit=optional`, as in the Dockerfile), so the zip App Service runs from stays small.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_USAGE` when `npm run build` has not produced `dist/server.js`
 */
export function stageWebapp(root: string = packageRoot(), out: string = webappDir()): string {
  if (!existsSync(join(root, 'dist', 'server.js'))) {
    throw new AcrcheckError('ACRCHECK_BAD_USAGE', 'dist/server.js is missing: run npm run build first');
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const entry of webappContents) {
    // dist/tools holds the compiled build scripts, which App Service never runs.
    cpSync(join(root, entry), join(out, entry), {
      recursive: true,
      filter: (source) => !source.startsWith(join(root, 'dist', 'tools')),
    });
  }
  const windows = process.platform === 'win32';
  execFileSync(
    windows ? 'npm.cmd' : 'npm',
    ['ci', '--omit=dev', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'],
    {
      cwd: out,
      stdio: 'inherit',
      shell: windows,
    },
  );
  return out;
}

if (require.main === module) {
  try {
    const out = stageWebapp();
    process.stdout.write(`Staged the web app in ${relative(process.cwd(), out) || out}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
