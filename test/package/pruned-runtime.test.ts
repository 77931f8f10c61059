import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';

import { pruneNodeModules, type Pruned } from '../../scripts/stage-webapp';
import { message } from '../bot/teams';
import { startConnector, type RecordingConnector } from '../http/harness';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

// Loopback addresses of this file only.
const botHost = '127.83.17.9';
const connectorHost = '127.83.17.10';

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

/**
 * The folders `npm ci --omit=dev --omit=optional` installs (the Dockerfile and scripts/stage-webapp.ts), read
 * from package-lock.json, e.g. `node_modules/botbuilder`, `node_modules/a/node_modules/b`.
 */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && !p.dev && !p.optional && !p.devOptional && !p.link)
    .map(([path]) => path);
}

/**
 * Lays `source` out again at `target` without its nested node_modules: each file a hard link (a copy across
 * file systems), so that deleting one in `target` leaves the checkout as it is.
 */
function linkTree(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') linkTree(from, to);
    } else if (entry.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
    } else {
      try {
        linkSync(from, to);
      } catch {
        copyFileSync(from, to);
      }
    }
  }
}

/** The newest modification time of a file under `folder`. */
function newest(folder: string): number {
  return readdirSync(folder, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(folder, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** Starts `node dist/server.js` in `dir` and resolves with the port it reports listening on. */
async function startServer(
  dir: string,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [join(dir, 'dist', 'server.js')], {
    cwd: dir,
    // Nothing of this machine's environment: no proxies, no bot identity (the local, unauthenticated mode),
    // and no probe from this host (it would ask a resolver that is not on loopback).
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'production',
      PORT: '0',
      ACRCHECK_LOCAL_RUNNER: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 20_000);
    const check = (): void => {
      const match = /listens on http:\/\/localhost:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${code}:\n${output}`));
    });
  });
  return { child, port, output: () => output };
}

describe('the production dependencies, pruned as in the image and the App Service upload', () => {
  let work: string;
  let pruned: Pruned;
  let before: string[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'acrcheck-pruned-'));
    const missing: string[] = [];
    for (const path of productionPackages()) {
      const source = join(root, path);
      if (!existsSync(source)) {
        missing.push(path);
        continue;
      }
      // Nested node_modules come as packages of their own, so that no development dependency slips in.
      linkTree(source, join(work, path));
    }
    expect(missing).toEqual([]);
    before = filesUnder(join(work, 'node_modules'));
    pruned = pruneNodeModules(join(work, 'node_modules'));

    // The bot as built from the current sources: `npm test` builds first; a stale or missing build is compiled
    // here (type errors elsewhere do not stop the emit).
    const built = join(root, 'dist', 'server.js');
    if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'src'))) {
      cpSync(join(root, 'dist'), join(work, 'dist'), {
        recursive: true,
        filter: (file) => !file.startsWith(join(root, 'dist', 'tools')),
      });
    } else {
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(work, 'dist'), '--noCheck'];
      await run(process.execPath, [tsc, ...args]).catch((err: unknown) => {
        if (!existsSync(join(work, 'dist', 'server.js'))) throw err;
      });
    }
    for (const entry of ['cards', 'locales', 'package.json'])
      cpSync(join(root, entry), join(work, entry), { recursive: true });
  }, 240_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lose their source maps, TypeScript and Markdown, but no JavaScript and no licence text', () => {
    const after = filesUnder(join(work, 'node_modules'));
    expect(pruned.files).toBe(before.length - after.length);
    expect(pruned.bytes).toBeGreaterThan(0);
    expect(
      after.filter((f) => /\.(?:map|[mc]?ts)$|\.md$/i.test(f) && !/\/(?:licen[cs]e|notice)[^/]*$/i.test(f)),
    ).toEqual([]);
    const scripts = (files: string[]): string[] => files.filter((f) => /\.[mc]?js$/.test(f));
    expect(scripts(after)).toEqual(scripts(before));
    const licences = (files: string[]): string[] => files.filter((f) => /\/licen[cs]e[^/]*$/i.test(f));
    expect(licences(after)).toEqual(licences(before));
  });

  it('still run the bot: /healthz answers, and a pasted error gets its diagnosis card', async () => {
    const bot = await startServer(work);
    let connector: RecordingConnector | null = null;
    try {
      const health = await fetch(`http://${botHost}:${bot.port}/healthz`);
      expect(health.status).toBe(200);
      const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
        .version;
      expect(await health.json()).toMatchObject({ version });

      connector = await startConnector(connectorHost);
      const paste =
        'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io: no such host';
      const response = await fetch(`http://${botHost}:${bot.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message(connector.serviceUrl, paste)),
      });
      expect(response.status).toBe(200);
      const cards = connector.calls.flatMap(
        (call) =>
          (call.body.attachments as { contentType: string; content: unknown }[] | undefined)?.filter(
            (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
          ) ?? [],
      );
      expect({ cards: cards.length, output: bot.output() }).toEqual({ cards: 1, output: bot.output() });
      expect(JSON.stringify(cards[0]?.content)).toContain('myregistry.azurecr.io');
      // Starting prints what an operator can act on, and no deprecation warning from restify's dependencies.
      expect(bot.output()).not.toMatch(/DeprecationWarning|DEP0111/);
    } finally {
      await connector?.close();
      bot.child.kill('SIGTERM');
    }
  }, 60_000);
});
