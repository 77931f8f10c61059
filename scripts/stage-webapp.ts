import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

import { AcrcheckError } from '../src/errors';
import { packageRoot } from '../src/paths';

type Env = Record<string, string | undefined>;

/** What the bot needs at run time, copied from the checkout (after `npm run build`). */
export const webappContents = ['dist', 'cards', 'locales', 'package.json', 'package-lock.json'] as const;

/**
 * Files under node_modules that nothing runs: source maps, TypeScript sources and declarations, Markdown. The
 * Dockerfile's `find … -delete` after `npm ci --omit=dev` removes the same files.
 */
export const prunedFilePatterns = [/\.map$/, /\.[mc]?ts$/, /\.md$/i] as const;

/** Kept although they match: the licence texts that travel with the packages. */
export const keptFilePatterns = [/^licen[cs]e/i, /^notice/i] as const;

/** What {@link pruneNodeModules} removed. */
export interface Pruned {
  files: number;
  bytes: number;
}

/**
 * Deletes the files of {@link prunedFilePatterns} under `dir` (a node_modules folder), keeping licence texts,
 * JavaScript and data. Symbolic links are neither followed nor deleted.
 */
export function pruneNodeModules(dir: string): Pruned {
  const pruned: Pruned = { files: 0, bytes: 0 };
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (
        entry.isFile() &&
        prunedFilePatterns.some((p) => p.test(entry.name)) &&
        !keptFilePatterns.some((p) => p.test(entry.name))
      ) {
        pruned.bytes += lstatSync(path).size;
        unlinkSync(path);
        pruned.files++;
      }
    }
  };
  walk(dir);
  return pruned;
}

/** Where the Agents Toolkit's `azureAppService/zipDeploy` picks the web app up (git-ignored). */
export function webappDir(): string {
  return join(packageRoot(), 'artifacts', 'webapp');
}

/** The image a web app runs instead of uploaded code (`CONTAINER_IMAGE` in env/.env.dev), or null. */
export function containerImage(env: Env): string | null {
  const value = env.CONTAINER_IMAGE?.trim() ?? '';
  // The Agents Toolkit passes `${{NAME}}` through unchanged when NAME is empty: that means not set.
  return value === '' || /^\$\{\{.*\}\}$/.test(value) ? null : value;
}

/**
 * Stages the bot for App Service: the compiled code, cards and locales, and production dependencies only
 * (`npm ci --omit=dev --omit=optional`, then {@link pruneNodeModules}, as in the Dockerfile), so the zip App
 * Service runs from stays small.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_USAGE` when `npm run build` has not produced `dist/server.js`, or when
 *   `CONTAINER_IMAGE` is set (that web app runs the image, so uploaded code would never run); nothing is staged then
 */
export function stageWebapp(options: { root?: string; out?: string; env?: Env } = {}): {
  out: string;
  pruned: Pruned;
} {
  const { root = packageRoot(), out = webappDir(), env = process.env } = options;
  const image = containerImage(env);
  if (image !== null) {
    throw new AcrcheckError(
      'ACRCHECK_BAD_USAGE',
      `This environment runs the container image ${image} (CONTAINER_IMAGE), so atk deploy has nothing to upload. ` +
        'Build and push a new image (docker build -t <image> . && docker push <image>, or az acr build), then ' +
        'restart the web app (az webapp restart).',
    );
  }
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
  return { out, pruned: pruneNodeModules(join(out, 'node_modules')) };
}

if (require.main === module) {
  try {
    const { out, pruned } = stageWebapp();
    const megabytes = (pruned.bytes / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `Staged the web app in ${relative(process.cwd(), out) || out} ` +
        `(${pruned.files} files, ${megabytes} MB of maps, TypeScript and Markdown pruned)\n`,
    );
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
