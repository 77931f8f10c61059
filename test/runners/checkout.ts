import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository this test runs in. */
export const repoRoot = join(__dirname, '..', '..');

/** A checkout as the workflow sees it after `npm ci && npm run build`, in a temporary folder. */
export interface Checkout {
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * Builds acrcheck from the current sources into a fresh folder laid out like a checkout (package.json, the
 * committed `.github/`, `dist/` compiled by tsc with the build configuration, and links to node_modules,
 * locales and cards), so that tests run the committed scripts and the real CLI without touching `dist/`.
 * Type errors elsewhere in the tree do not stop the emit (`--noCheck`); `npm run typecheck` reports them.
 */
export async function buildCheckout(): Promise<Checkout> {
  const dir = await mkdtemp(join(tmpdir(), 'acrcheck-checkout-'));
  await cp(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  await cp(join(repoRoot, '.github'), join(dir, '.github'), { recursive: true });
  for (const name of ['node_modules', 'locales', 'cards'])
    await symlink(join(repoRoot, name), join(dir, name));
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', join(repoRoot, 'tsconfig.build.json'), '--outDir', join(dir, 'dist'), '--noCheck'];
  try {
    await run(process.execPath, args, { cwd: repoRoot });
  } catch (err) {
    if (!existsSync(join(dir, 'dist', 'cli.js')) || !existsSync(join(dir, 'dist', 'runner-server.js')))
      throw err;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment of a child process: only PATH and HOME from ours (no proxies), plus `env`. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...env };
}
