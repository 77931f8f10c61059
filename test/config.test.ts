import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  defaults,
  loadConfig,
  loadProbeSettings,
  loadRunnerSecret,
  loadRunnerSettings,
  parseDnsServer,
} from '../src/config';
import { AcrcheckError } from '../src/errors';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(AcrcheckError);
    return (err as AcrcheckError).message;
  }
  throw new Error('expected a configuration error');
}

describe('loadConfig', () => {
  test('an empty environment is the embedded default: local mode, local runner, system resolver', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: null,
      app: { type: 'MultiTenant', id: '' },
      probe: { dnsServers: [], ca: null, timeoutMs: defaults.probeTimeoutMs, systemResolver: true },
      runners: [],
      localRunner: true,
      github: null,
      runnerTimeoutMs: defaults.runnerTimeoutMs,
    });
  });

  test('reads every probe and runner variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acrcheck-config-'));
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = loadConfig({
      PORT: '4000',
      ACRCHECK_DNS_SERVERS: '127.0.0.53, 127.0.0.54:5353,[::1]:53',
      ACRCHECK_CA_FILE: pem,
      ACRCHECK_PROBE_TIMEOUT_MS: '2500',
      ACRCHECK_RUNNER_NAME: 'vnet-prod',
      ACRCHECK_RUNNER_SECRET: 'a-long-enough-secret',
      ACRCHECK_RUNNERS: 'vnet-prod=https://runner.contoso.example:3979/,onprem=http://127.0.0.1:3979',
      ACRCHECK_LOCAL_RUNNER: 'false',
      ACRCHECK_PUBLIC_URL: 'https://bot.contoso.example/',
      ACRCHECK_GITHUB_REPO: 'contoso/acrcheck',
      ACRCHECK_GITHUB_WORKFLOW: 'acrcheck-probe.yml',
      ACRCHECK_GITHUB_TOKEN: 'github_pat_x',
      ACRCHECK_RUNNER_TIMEOUT_MS: '60000',
    });
    expect(config.port).toBe(4000);
    expect(config.probe.dnsServers).toEqual([
      { host: '127.0.0.53', port: 53 },
      { host: '127.0.0.54', port: 5353 },
      { host: '::1', port: 53 },
    ]);
    expect(config.probe.ca).toContain('BEGIN CERTIFICATE');
    expect(config.probe.timeoutMs).toBe(2500);
    expect(config.runnerName).toBe('vnet-prod');
    expect(config.runners).toEqual([
      { name: 'vnet-prod', url: 'https://runner.contoso.example:3979' },
      { name: 'onprem', url: 'http://127.0.0.1:3979' },
    ]);
    expect(config.localRunner).toBe(false);
    expect(config.publicUrl).toBe('https://bot.contoso.example');
    expect(config.github).toEqual({
      repo: 'contoso/acrcheck',
      workflow: 'acrcheck-probe.yml',
      token: 'github_pat_x',
      api: 'https://api.github.com',
      ref: 'main',
    });
    expect(config.runnerTimeoutMs).toBe(60000);
  });

  test('names every bad variable at once', () => {
    const message = problemsOf({
      PORT: 'eighty',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      ACRCHECK_DNS_SERVERS: '127.0.0.1:99999',
      ACRCHECK_CA_FILE: '/nonexistent/ca.pem',
      ACRCHECK_PROBE_TIMEOUT_MS: '-1',
      ACRCHECK_LOCAL_RUNNER: 'maybe',
      ACRCHECK_RUNNERS: 'local=http://x',
    });
    for (const name of [
      'PORT',
      'MicrosoftAppTenantId',
      'MicrosoftAppPassword',
      'ACRCHECK_DNS_SERVERS',
      'ACRCHECK_CA_FILE',
      'ACRCHECK_PROBE_TIMEOUT_MS',
      'ACRCHECK_LOCAL_RUNNER',
      'ACRCHECK_RUNNERS',
    ]) {
      expect(message).toContain(name);
    }
  });

  test('GitHub runners need the callback URL and the secret', () => {
    const message = problemsOf({ ACRCHECK_GITHUB_REPO: 'contoso/acrcheck' });
    expect(message).toContain('ACRCHECK_GITHUB_WORKFLOW');
    expect(message).toContain('ACRCHECK_GITHUB_TOKEN');
    expect(message).toContain('ACRCHECK_PUBLIC_URL');
    expect(message).toContain('ACRCHECK_RUNNER_SECRET');
  });

  test('a runner service may not take the name of the built-in runners', () => {
    const github = {
      ACRCHECK_GITHUB_REPO: 'contoso/acrcheck',
      ACRCHECK_GITHUB_WORKFLOW: 'acrcheck-probe.yml',
      ACRCHECK_GITHUB_TOKEN: 'github_pat_example',
      ACRCHECK_PUBLIC_URL: 'https://acrcheck.contoso.example',
      ACRCHECK_RUNNER_SECRET: 'a-secret-of-16-chars',
    };
    expect(problemsOf({ ...github, ACRCHECK_RUNNERS: 'github=https://runner.contoso.example' })).toContain(
      "ACRCHECK_RUNNERS names 'github'",
    );
    expect(problemsOf({ ACRCHECK_RUNNERS: 'local=https://runner.contoso.example' })).toContain(
      'ACRCHECK_RUNNERS',
    );
    expect(
      loadConfig({ ...github, ACRCHECK_RUNNERS: 'vnet-prod=https://runner.contoso.example' }).runners,
    ).toEqual([{ name: 'vnet-prod', url: 'https://runner.contoso.example' }]);
  });

  test('no message shows the credentials in a URL or a runner entry', () => {
    const message = problemsOf({
      ACRCHECK_PUBLIC_URL: 'ftp://bot:hunter2-secret@bot.contoso.example',
      ACRCHECK_RUNNERS:
        'vnet=https://user:s3cr3t-pass@runner.contoso.example?x=1,local=https://u:p4ss@r.example',
      ACRCHECK_RUNNER_SECRET: 'a-secret-of-16-chars',
      ACRCHECK_DNS_SERVERS: 'admin:pw@dns.example',
    });
    expect(message).toContain('ACRCHECK_PUBLIC_URL=ftp://***@bot.contoso.example is not an http(s) URL');
    expect(message).toContain(
      "ACRCHECK_RUNNERS has a bad entry 'vnet=https://***@runner.contoso.example?x=1'",
    );
    expect(message).toContain('local is the built-in runner');
    for (const secret of ['hunter2-secret', 's3cr3t-pass', 'p4ss', 'pw@', 'a-secret-of-16-chars'])
      expect(message).not.toContain(secret);
  });

  test('a public URL or runner URL with a query or fragment is refused: paths are appended to it', () => {
    for (const url of [
      'https://bot.contoso.example/?code=1',
      'https://bot.contoso.example/#x',
      'https://b.example?',
    ]) {
      expect(problemsOf({ ACRCHECK_PUBLIC_URL: url })).toContain('has a query or a fragment');
    }
    expect(
      problemsOf({
        ACRCHECK_RUNNERS: 'vnet=https://runner.contoso.example/?a=b',
        ACRCHECK_RUNNER_SECRET: 'a-secret-of-16-chars',
      }),
    ).toContain('the URL has a query or a fragment');
    expect(loadConfig({ ACRCHECK_PUBLIC_URL: 'https://bot.contoso.example/acrcheck/' }).publicUrl).toBe(
      'https://bot.contoso.example/acrcheck',
    );
  });

  test('a managed identity takes no password but needs the tenant', () => {
    expect(
      loadConfig({
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
        MicrosoftAppTenantId: '00000000-0000-0000-0000-000000000002',
      }).app.type,
    ).toBe('UserAssignedMSI');
    expect(
      problemsOf({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: 'x', MicrosoftAppPassword: 'p' }),
    ).toContain('MicrosoftAppPassword must be empty');
  });
});

describe('loadProbeSettings', () => {
  test('reads the probe variables as loadConfig does, and ignores the bot and runner ones', () => {
    const env = {
      ACRCHECK_DNS_SERVERS: '127.0.0.53',
      ACRCHECK_PROBE_TIMEOUT_MS: '2500',
      MicrosoftAppType: 'Sometimes',
      PORT: 'eighty',
      ACRCHECK_RUNNERS: 'nonsense',
    };
    expect(loadProbeSettings(env)).toEqual({
      dnsServers: [{ host: '127.0.0.53', port: 53 }],
      ca: null,
      caFile: null,
      timeoutMs: 2500,
      systemResolver: true,
    });
    expect(() => loadConfig(env)).toThrow(AcrcheckError);
  });

  test('names each bad probe variable', () => {
    let message = '';
    try {
      loadProbeSettings({ ACRCHECK_PROBE_TIMEOUT_MS: '5s', ACRCHECK_SYSTEM_RESOLVER: 'false' });
    } catch (err) {
      message = (err as AcrcheckError).message;
    }
    expect(message).toContain('ACRCHECK_PROBE_TIMEOUT_MS=5s');
    expect(message).toContain('ACRCHECK_SYSTEM_RESOLVER=false needs ACRCHECK_DNS_SERVERS');
  });
});

test('a DNS server given by name is refused at once, saying an IP address is needed', () => {
  expect(() => loadProbeSettings({ ACRCHECK_DNS_SERVERS: 'dns.corp.example' })).toThrow(
    "ACRCHECK_DNS_SERVERS has a bad entry 'dns.corp.example' (expected an IP address with an optional port",
  );
});

test('the runner service and post-result read only their own variables: a bad bot variable stops neither', () => {
  const env = {
    MicrosoftAppType: 'Bogus',
    ACRCHECK_RUNNERS: 'not a list',
    ACRCHECK_RUNNER_SECRET: 'a-secret-of-16-chars',
    ACRCHECK_RUNNER_NAME: 'vnet-prod',
    PORT: '4000',
  };
  expect(() => loadConfig(env)).toThrow('MicrosoftAppType=Bogus');
  expect(loadRunnerSettings(env)).toMatchObject({
    port: 4000,
    runnerName: 'vnet-prod',
    runnerSecret: 'a-secret-of-16-chars',
  });
  expect(loadRunnerSecret({ ...env, ACRCHECK_PROBE_TIMEOUT_MS: 'soon' })).toBe('a-secret-of-16-chars');
  expect(() => loadRunnerSettings({ ...env, ACRCHECK_PROBE_TIMEOUT_MS: 'soon' })).toThrow(
    'ACRCHECK_PROBE_TIMEOUT_MS=soon',
  );
  expect(() => loadRunnerSecret({ ACRCHECK_RUNNER_SECRET: 'short' })).toThrow('at least 16 characters');
});

describe('parseDnsServer', () => {
  test.each([
    ['127.0.0.1', { host: '127.0.0.1', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['::1', { host: '::1', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
    ['dns.contoso.example', null],
    ['localhost', null],
    ['localhost:53', null],
    ['999.1.1.1', null],
    ['127.0.0.1:0', null],
    ['127.0.0.1:abc', null],
    ['', null],
    ['host name', null],
  ])('%s', (text, expected) => expect(parseDnsServer(text)).toEqual(expected));
});
