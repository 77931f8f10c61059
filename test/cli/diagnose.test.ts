import { execFile, execFileSync, spawn as spawnChild } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { main } from '../../src/cli/main';
import { maxBatchLineBytes } from '../../src/cli/diagnose';
import type { CliIo } from '../../src/cli/io';
import { maxPasteBytes } from '../../src/recognize';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `acrcheck <args>` in-process with `input` on standard input. */
async function run(args: string[], input: string | Buffer = '', env: CliIo['env'] = {}): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  stdin.end(input);
  const code = await main(args, { stdin, stdout, stderr, env });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'acrcheck-diagnose-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('acrcheck diagnose --json', () => {
  test('prints exactly the contract keys, in contract order, and exits 0', async () => {
    const { code, stdout, stderr } = await run(['diagnose', '--json'], dnsError);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['verdict', 'kind', 'registry', 'symptoms', 'causes']);
    expect(json).toMatchObject({
      verdict: 'network',
      kind: null,
      registry: { name: 'myregistry', loginServer: 'myregistry.azurecr.io', dataEndpoints: [] },
      symptoms: [{ id: 'dns-lookup', score: 0.92, evidence: dnsError }],
    });
  });

  test('exits 0 for every verdict', async () => {
    for (const [text, verdict] of [
      ['unauthorized: authentication required', 'not-network'],
      ['hello there', 'unrecognized'],
      ['', 'unrecognized'],
    ]) {
      const { code, stdout } = await run(['diagnose', '--json'], text);
      expect({ code, verdict: (JSON.parse(stdout) as { verdict: string }).verdict }).toEqual({
        code: 0,
        verdict,
      });
    }
  });

  test('reads a FILE', async () => {
    const file = join(dir, 'paste.txt');
    writeFileSync(file, '<p>denied: client with IP &#39;203.0.113.9&#39; is not allowed access</p>');
    const { code, stdout } = await run(['diagnose', '--json', file]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { symptoms: { id: string }[] }).symptoms[0]?.id).toBe('ip-denied');
  });

  test('never prints a secret from the paste', async () => {
    const { stdout } = await run(
      ['diagnose', '--json'],
      `docker login x1234.azurecr.io -u u -p Hunter2Hunter2Hunter2\n${dnsError}`,
    );
    expect(stdout).not.toContain('Hunter2');
  });
});

describe('acrcheck diagnose (report)', () => {
  test.each([
    ['en', 'Verdict: ', 'Likely causes:', 'Evidence: ', '(92%)'],
    ['de', 'Ergebnis: ', 'Wahrscheinliche Ursachen:', 'Beleg: ', '(92 %)'],
    ['zh-TW', '判定：', '可能的原因：', '證據：', '（92%）'],
  ])(
    'in %s: the symptom, its evidence, ranked causes, the fix with the registry filled in',
    async (locale, ...labels) => {
      const { code, stdout } = await run(['diagnose', '--locale', locale], dnsError);
      expect(code).toBe(0);
      for (const label of labels) expect(stdout).toContain(label);
      expect(stdout).toContain(dnsError);
      expect(stdout).toContain('az acr check-health --name myregistry');
      expect(stdout).toContain('myregistry.azurecr.io');
      expect(stdout).not.toContain('{{');
    },
  );

  test('the language comes from LC_ALL, LC_MESSAGES or LANG when --locale is absent', async () => {
    expect((await run(['diagnose'], dnsError, { LANG: 'de_DE.UTF-8' })).stdout).toContain('Ergebnis:');
    expect(
      (await run(['diagnose'], dnsError, { LC_ALL: 'zh_TW.UTF-8', LANG: 'de_DE.UTF-8' })).stdout,
    ).toContain('判定：');
    expect((await run(['diagnose'], dnsError, { LANG: 'fr_FR.UTF-8' })).stdout).toContain('Verdict:');
  });

  test.each([
    ['en', 'Evidence: '],
    ['de', 'Beleg: '],
    ['zh-TW', '證據：'],
  ])(
    'in %s: a sign-in error shows the line that shows it, its advice indented under it',
    async (locale, label) => {
      const line =
        'unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.';
      const { code, stdout } = await run(['diagnose', '--locale', locale], `Pulling app:1\n${line}\n`);
      expect(code).toBe(0);
      expect(stdout).toContain(`  ${label}${line}\n`);
      expect(stdout).toContain('  - ');
      expect(stdout).not.toMatch(/^- /m);
      const json = JSON.parse((await run(['diagnose', '--json'], line)).stdout) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(['verdict', 'kind', 'registry', 'symptoms', 'causes']);
    },
  );

  test('a not-network paste gets the advice for its kind', async () => {
    const { stdout } = await run(
      ['diagnose', '--locale', 'en'],
      'Get "https://registry-1.docker.io/v2/": i/o timeout',
    );
    expect(stdout).toContain('recognized, but not a registry network problem');
    expect(stdout).toContain('registry-1.docker.io');
  });

  test('an unrecognized paste says what acrcheck recognizes', async () => {
    const { code, stdout } = await run(['diagnose', '--locale', 'en'], 'the build is red again');
    expect(code).toBe(0);
    expect(stdout).toContain('no known error in the text');
  });

  test('without a registry name, the report says the commands hold placeholders', async () => {
    const { stdout } = await run(['diagnose', '--locale', 'en'], 'dial tcp 20.1.2.3:443: i/o timeout');
    expect(stdout).toContain('<registry-name>');
    expect(stdout).toContain('The text names no registry');
  });
});

describe('acrcheck diagnose --batch', () => {
  test('one answer per line, in order, with the id; bad lines get an error and the stream goes on', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: dnsError }),
      '',
      'not json',
      JSON.stringify({ id: 7, text: 'toomanyrequests: Too many requests.' }),
      JSON.stringify({ id: 'c' }),
      JSON.stringify([1, 2]),
      JSON.stringify({ id: 'd', text: 'x'.repeat(maxPasteBytes + 1) }),
      JSON.stringify({ id: 'e', text: 'nothing here' }),
    ].join('\n');
    const { code, stdout, stderr } = await run(['diagnose', '--batch'], input);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.id, l.verdict ?? (l.error as { code: string }).code])).toEqual([
      ['a', 'network'],
      [null, 'ACRCHECK_BAD_USAGE'],
      [7, 'not-network'],
      ['c', 'ACRCHECK_BAD_USAGE'],
      [null, 'ACRCHECK_BAD_USAGE'],
      ['d', 'ACRCHECK_INPUT_TOO_LARGE'],
      ['e', 'unrecognized'],
    ]);
    expect(Object.keys(lines[0] ?? {})).toEqual(['id', 'verdict', 'kind', 'registry', 'symptoms', 'causes']);
    expect(lines[1]).toEqual({
      id: null,
      error: { code: 'ACRCHECK_BAD_USAGE', message: expect.stringMatching(/^not JSON/) },
    });
  });

  test('an overlong line is answered with an error without being held in memory', async () => {
    const input = `${'y'.repeat(maxBatchLineBytes + 10)}\n${JSON.stringify({ id: 'after', text: dnsError })}\n`;
    const { stdout } = await run(['diagnose', '--batch'], input);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual([null, 'after']);
    expect(lines[0]?.error).toMatchObject({ code: 'ACRCHECK_INPUT_TOO_LARGE' });
  }, 30_000);

  test('reads a FILE of JSON lines', async () => {
    const file = join(dir, 'batch.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'f', text: dnsError })}\r\n`);
    const { stdout } = await run(['diagnose', '--batch', file]);
    expect(JSON.parse(stdout)).toMatchObject({ id: 'f', verdict: 'network' });
  });
});

describe('acrcheck diagnose refuses with exit 2 and one line on standard error', () => {
  test.each([
    ['an unknown flag', ['diagnose', '--jsn']],
    ['an unknown locale', ['diagnose', '--locale', 'fr']],
    ['two files', ['diagnose', 'a', 'b']],
    ['a missing file', ['diagnose', '/nonexistent/acrcheck/paste.txt']],
    ['a directory', ['diagnose', tmpdir()]],
  ])('%s', async (_, args) => {
    const { code, stdout, stderr } = await run(args, dnsError);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^acrcheck diagnose: .+\n$/);
  });

  test('input above the size limit, on standard input and as a file, with sizes that differ', async () => {
    const big = Buffer.alloc(maxPasteBytes + 1, 'a');
    const fromStdin = await run(['diagnose', '--json'], big);
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.stderr).toBe(
      'acrcheck diagnose: The text is more than 2 MB long; acrcheck reads at most 2 MB. Paste the lines around the error.\n',
    );
    const file = join(dir, 'big.txt');
    writeFileSync(file, big);
    const fromFile = await run(['diagnose', file]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toBe(
      'acrcheck diagnose: The text is 2.000001 MB long; acrcheck reads at most 2 MB. Paste the lines around the error.\n',
    );
  });

  test.each([
    ['de', 'Der Text ist größer als 2 MB', 'Der Text ist 2.000001 MB groß', 'kann nicht gelesen werden'],
    ['zh-TW', '文字超過 2 MB', '這段文字有 2.000001 MB', '無法讀取檔案'],
  ])('in %s, the refusals of the input are in that language', async (locale, stdin, file, missing) => {
    const big = Buffer.alloc(maxPasteBytes + 1, 'a');
    const path = join(dir, `big-${locale}.txt`);
    writeFileSync(path, big);
    expect((await run(['diagnose', '--locale', locale], big)).stderr).toContain(stdin);
    expect((await run(['diagnose', '--locale', locale, path])).stderr).toContain(file);
    const gone = await run(['diagnose', '/nonexistent/acrcheck/paste.txt'], '', { LANG: `${locale}.UTF-8` });
    expect({ code: gone.code, missing: gone.stderr.includes(missing) }).toEqual({ code: 2, missing: true });
  });
});

describe('--help', () => {
  test.each([['diagnose'], ['probe'], ['runner'], ['post-result']])(
    'acrcheck %s --help prints its usage and exits 0',
    async (command) => {
      for (const flag of ['--help', '-h']) {
        const { code, stdout, stderr } = await run([command, flag]);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        expect(stdout).toMatch(new RegExp(`^usage:\\n  acrcheck ${command}`));
      }
    },
  );

  test('after other arguments too, but not after --', async () => {
    expect((await run(['diagnose', '--json', '--help'])).code).toBe(0);
    expect((await run(['diagnose', '--', '--help'])).code).toBe(2);
  });
});

describe('the reviewed pastes, as a user reads them', () => {
  const pastes = join(__dirname, '..', 'fixtures', 'pastes');
  const report = async (paste: string, locale = 'en'): Promise<string> =>
    (await run(['diagnose', '--locale', locale, join(pastes, paste)])).stdout;
  /** The text between a heading line and the next blank line. */
  const section = (text: string, heading: string): string => {
    const start = text.indexOf(heading);
    return start === -1 ? '' : text.slice(start, text.indexOf('\n\n', start));
  };

  test('an untrusted certificate: trust or inspection comes first, and no one says HTTPS is blocked', async () => {
    const text = await report('tls-interception/docker-unknown-authority-china.txt');
    const fix = section(text, 'What to do:');
    expect(fix).toContain('What to do: Let the registry');
    expect(fix.split('\n')[2]).toMatch(/^ {2}1\. If the proxy inspects TLS/);
    expect(text).not.toContain('does not let HTTPS through');
  });

  test('a certificate for other names points at the hosts file and DNS first', async () => {
    const text = await report('tls-interception/name-mismatch-azurewebsites.txt');
    expect(section(text, 'Likely causes:')).toContain("The registry's name leads to another server");
    const fix = section(text, 'What to do:');
    expect(fix).toContain('$ nslookup docsacr.azurecr.io');
    expect(fix.indexOf('/etc/hosts')).toBeLessThan(fix.indexOf('If the proxy inspects TLS'));
  });

  test('a sovereign cloud: az cloud set before the first az command, and Azure China’s own docs', async () => {
    const text = await report('tls-interception/docker-unknown-authority-china.txt');
    const cloudSet = text.indexOf('$ az cloud set --name AzureChinaCloud');
    const firstAz = text.search(/\$ az (?!cloud set)/);
    expect(cloudSet).toBeGreaterThan(-1);
    expect(cloudSet).toBeLessThan(firstAz);
    expect(text).toContain(
      'https://docs.azure.cn/en-us/container-registry/container-registry-troubleshoot-access#configure-client-firewall-access',
    );
    expect(await report('tls-interception/docker-unknown-authority-china.txt', 'zh-TW')).toContain(
      'https://docs.azure.cn/zh-cn/container-registry/container-registry-troubleshoot-access',
    );
    expect(await report('dns-lookup/canonical-no-such-host.txt')).not.toContain('az cloud set');
  });

  test('a regional endpoint is listed as it stands, with no invented data endpoint and the storage note', async () => {
    const text = await report('connection-refused/geo-endpoint-refused.txt');
    const hosts = section(text, 'Hosts a firewall or proxy must let through');
    expect(hosts).toContain('globalacr.westus2.geo.azurecr.io');
    expect(hosts).toContain('*.blob.core.windows.net');
    expect(text).not.toContain('globalacr.westus2.data.azurecr.io');
  });

  test('known values are filled in; an ACR rate limit gets no Docker Hub advice', async () => {
    expect(await report('rate-limit/docker-hub-pull-limit.txt')).toContain(
      'az acr import --name <registry-name> --source docker.io/library/redis:7.2 --image redis:7.2',
    );
    expect(await report('other-registry/acr-task-from-mcr-timeout.txt')).toContain(
      'az acr import --name webfactory --source mcr.microsoft.com/dotnet/aspnet:8.0 --image dotnet/aspnet:8.0',
    );
    expect(await report('not-found/podman-manifest-unknown.txt')).toContain(
      'az acr repository show-tags --name qaacr --repository qa/runner --output table',
    );
    const acrLimit = await report('rate-limit/kubelet-acr-429.txt');
    expect(acrLimit).toContain('service tier');
    expect(acrLimit).not.toMatch(/Docker Hub|az acr import/);
  });

  test('another registry’s 401 is not an ACR sign-in problem', async () => {
    const text = await report('other-registry/kubelet-ghcr-401.txt', 'de');
    expect(text).toContain('Die Registry, an der es scheitert, ist keine Azure Container Registry');
    expect(text).not.toContain('az acr login');
  });

  test('Traditional Chinese joins hosts with 、 and links with a full-width colon', async () => {
    const text = await report('ip-denied/private-endpoint-dns-resolves-public.txt', 'zh-TW');
    expect(text).toContain(
      'ledgerprod.azurecr.io、ledgerprod.<region>.data.azurecr.io、*.blob.core.windows.net',
    );
    expect(text).toMatch(/^ {2}- [^\n]+：https:\/\/learn\.microsoft\.com\/zh-tw\//m);
    expect(text).not.toMatch(/^ {2}- [^\n]+: https:/m);
    expect(text).not.toContain('配置');
  });

  test('no secret in the corpus reaches any output, in any language', async () => {
    const files = readdirSync(pastes, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => readdirSync(join(pastes, e.name)).map((f) => join(e.name, f)));
    const withSecrets = files.filter((f) => readFileSync(join(pastes, f), 'utf8').includes('Hunter2'));
    expect(withSecrets.length).toBeGreaterThanOrEqual(3);
    for (const file of withSecrets) {
      const outputs = [
        (await run(['diagnose', '--json', join(pastes, file)])).stdout,
        ...(await Promise.all(['en', 'de', 'zh-TW'].map((l) => report(file, l)))),
      ];
      for (const out of outputs)
        expect({ file, leak: out.includes('Hunter2') }).toEqual({ file, leak: false });
    }
  });
});

describe('the built bin', () => {
  const root = join(__dirname, '..', '..');
  const bin = join(root, 'dist', 'cli.js');

  /** Newest modification time under a folder. */
  const newest = (folder: string): number =>
    readdirSync(folder, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(folder, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);

  beforeAll(() => {
    // `npm test` builds first; a stale or missing build is rebuilt here. Type errors elsewhere in the
    // tree do not stop tsc from emitting, so only a missing output counts as a failed build.
    if (!existsSync(bin) || statSync(bin).mtimeMs < newest(join(root, 'src'))) {
      try {
        execFileSync(
          process.execPath,
          [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
          {
            cwd: root,
            stdio: 'ignore',
          },
        );
      } catch (err) {
        if (!existsSync(bin)) throw err;
      }
    }
  }, 180_000);

  const spawn = (args: string[], input: string): Promise<Run> =>
    new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [bin, ...args],
        { cwd: root, env: { PATH: process.env.PATH } },
        (err, stdout, stderr) => {
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
      child.stdin?.end(input);
    });

  // Node's own deprecation warnings (from modules other commands load) are not acrcheck's output.
  const ownLines = (stderr: string): string[] =>
    stderr.split('\n').filter((l) => l && !l.startsWith('(node:') && !l.startsWith('(Use `node'));

  test('diagnose --json exits 0 with the diagnosis on standard output', async () => {
    const { code, stdout, stderr } = await spawn(['diagnose', '--json'], dnsError);
    expect({ code, own: ownLines(stderr) }).toEqual({ code: 0, own: [] });
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'network', symptoms: [{ id: 'dns-lookup' }] });
  }, 60_000);

  test('diagnose --batch whose reader stops early (| head -1) ends quietly with status 0', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: String(i), text: dnsError }));
    const { code, stdout, stderr } = await new Promise<Run>((resolve) => {
      const child = spawnChild(process.execPath, [bin, 'diagnose', '--batch'], {
        cwd: root,
        env: { PATH: process.env.PATH },
      });
      let first = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        first += chunk.toString();
        const end = first.indexOf('\n');
        if (end !== -1) {
          first = first.slice(0, end + 1);
          child.stdout.destroy(); // the reader goes, as `head -1` does
        }
      });
      child.on('close', (status) => resolve({ code: status ?? 1, stdout: first, stderr: err }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(`${lines.join('\n')}\n`);
    });
    expect(JSON.parse(stdout)).toMatchObject({ id: '0', verdict: 'network' });
    expect({ code, own: ownLines(stderr) }).toEqual({ code: 0, own: [] });
  }, 60_000);

  test('bad usage exits 2 with one line on standard error', async () => {
    const { code, stdout, stderr } = await spawn(['diagnose', '--locale', 'xx'], dnsError);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(ownLines(stderr)).toEqual(["acrcheck diagnose: unknown locale 'xx'; use en, de, zh-TW"]);
  }, 60_000);
});
