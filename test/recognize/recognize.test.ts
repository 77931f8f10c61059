import type { CauseId, Diagnosis } from '../../src/contract';
import { AcrcheckError } from '../../src/errors';
import { formatSize, maxPasteBytes, recognize } from '../../src/recognize';
import { maxEvidenceLength } from '../../src/recognize/rank';

const summary = (d: Diagnosis) => ({ verdict: d.verdict, kind: d.kind, top: d.symptoms[0]?.id ?? null });
const causeScore = (d: Diagnosis, id: CauseId): number => d.causes.find((c) => c.id === id)?.score ?? 0;

const acrTimeout = 'Get "https://myreg.azurecr.io/v2/": net/http: TLS handshake timeout';
const auth =
  'Error response from daemon: Head "https://myreg.azurecr.io/v2/app/manifests/1": unauthorized: authentication required';

describe('verdicts', () => {
  test('an ACR network failure wins over an auth line in the same paste', () => {
    expect(summary(recognize(`${auth}\n${acrTimeout}`))).toEqual({
      verdict: 'network',
      kind: null,
      top: 'client-timeout',
    });
  });

  test('a firewall 403 from the token exchange wins over the admin-user auth lines around it', () => {
    const d = recognize(
      "Access to registry 'myreg.azurecr.io' was denied. Response code: 403.\nUnable to get admin user credentials with message: Admin user is disabled.",
    );
    expect(summary(d)).toEqual({ verdict: 'network', kind: null, top: 'ip-denied' });
  });

  test('a bare 403 is weaker than an explicit auth failure', () => {
    expect(
      summary(recognize(`HEAD https://myreg.azurecr.io/v2/app/manifests/1: 403 Forbidden\n${auth}`)),
    ).toEqual({
      verdict: 'not-network',
      kind: 'auth',
      top: null,
    });
  });

  test('auth, missing images and rate limits alone are not network problems; no symptoms, no causes', () => {
    for (const [text, kind] of [
      [auth, 'auth'],
      ['manifest unknown: manifest tagged by "9" is not found', 'not-found'],
      ['toomanyrequests: Too many requests.', 'rate-limit'],
    ] as const) {
      const d = recognize(text);
      expect({ verdict: d.verdict, kind: d.kind, symptoms: d.symptoms, causes: d.causes }).toEqual({
        verdict: 'not-network',
        kind,
        symptoms: [],
        causes: [],
      });
    }
  });

  test.each([
    [
      'auth',
      'Error response from daemon: Head "https://myreg.azurecr.io/v2/app/manifests/1": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
    ],
    [
      'not-found',
      'Error response from daemon: manifest for myreg.azurecr.io/app:9 not found: manifest unknown',
    ],
    [
      'rate-limit',
      'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading',
    ],
  ] as const)('a %s verdict keeps the line that showed it as its evidence', (kind, line) => {
    const d = recognize(`Pulling app:9 ...\n${line}\nexit status 1`);
    expect({ kind: d.kind, evidence: d.facts?.kindEvidence }).toEqual({ kind, evidence: line });
  });

  test('the kind’s evidence is the line with the strongest sign, secrets masked, cut like a symptom’s', () => {
    const password = 'Zq7-w9!secretPassw0rd';
    const d = recognize(
      `docker login myreg.azurecr.io -u myreg -p ${password}: unauthorized: authentication required\n401 Unauthorized`,
    );
    expect(d.kind).toBe('auth');
    expect(d.facts?.kindEvidence).toContain('unauthorized: authentication required');
    expect(d.facts?.kindEvidence).not.toContain(password);
    const long =
      recognize(`${'x'.repeat(900)} manifest unknown ${'y'.repeat(900)}`).facts?.kindEvidence ?? '';
    expect(long).toContain('manifest unknown');
    expect(long.length).toBeLessThanOrEqual(maxEvidenceLength + 2);
  });

  test('the registry of a not-network verdict is the one on the line that showed it', () => {
    const d = recognize(
      'Pushed mirroracr.azurecr.io/app:1\nPushed mirroracr.azurecr.io/app:2\n' +
        'Error response from daemon: Head "https://crmacr.azurecr.io/v2/app/manifests/1": unauthorized: authentication required',
    );
    expect({ kind: d.kind, registry: d.registry?.loginServer }).toEqual({
      kind: 'auth',
      registry: 'crmacr.azurecr.io',
    });
  });

  test('another registry’s failure keeps its line as the kind’s evidence too; other verdicts have none', () => {
    const line =
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout';
    expect(recognize(line).facts?.kindEvidence).toBe(line);
    expect(recognize(acrTimeout).facts?.kindEvidence).toBeNull();
    expect(recognize(`${auth}\n${acrTimeout}`).facts?.kindEvidence).toBeNull();
    expect(recognize('good morning').facts?.kindEvidence).toBeNull();
  });

  test('a missing tag beats the anonymous 401 that comes with it', () => {
    expect(recognize(`manifest unknown\nfailed to fetch anonymous token: 401 Unauthorized`).kind).toBe(
      'not-found',
    );
  });

  test('a Docker Hub timeout is another registry: its line as evidence, no ACR symptom, no causes', () => {
    const line =
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: TLS handshake timeout';
    const d = recognize(line);
    expect(summary(d)).toEqual({ verdict: 'not-network', kind: 'other-registry', top: null });
    expect(d.causes).toEqual([]);
    expect(d.facts?.kindEvidence).toBe(line);
    expect(d.facts?.otherHosts).toEqual(['registry-1.docker.io']);
  });

  test('another registry’s 401 or missing image is that registry’s affair, not an ACR sign-in problem', () => {
    const ghcr = recognize(
      'Failed to pull image "ghcr.io/contoso/agent:1": failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Acontoso%2Fagent%3Apull&service=ghcr.io: 401 Unauthorized',
    );
    expect(summary(ghcr)).toEqual({ verdict: 'not-network', kind: 'other-registry', top: null });
    expect(ghcr.facts?.image).toBe('ghcr.io/contoso/agent:1');
    expect(recognize('Error: quay.io/team/tool:9: not found').kind).toBe('other-registry');
    expect(
      recognize('Head "https://myreg.azurecr.io/v2/app/manifests/1": unauthorized: authentication required')
        .kind,
    ).toBe('auth');
  });

  test('an ACR sign-in failure beside another registry’s is the ACR one', () => {
    const d = recognize(
      'quay.io/team/tool:9: 401 Unauthorized\nHead "https://myreg.azurecr.io/v2/app/manifests/1": 401 Unauthorized',
    );
    expect({ kind: d.kind, registry: d.registry?.loginServer }).toEqual({
      kind: 'auth',
      registry: 'myreg.azurecr.io',
    });
  });

  test('a rate limit stays a rate limit wherever it comes from, with the image it hit', () => {
    const hub = recognize(
      '$ docker pull redis:7.2\nError response from daemon: toomanyrequests: You have reached your pull rate limit.',
    );
    expect({ kind: hub.kind, image: hub.facts?.image }).toEqual({ kind: 'rate-limit', image: 'redis:7.2' });
  });

  test('a Docker Hub failure beside an ACR failure: only the ACR one counts', () => {
    const d = recognize(
      'lookup registry-1.docker.io on 10.0.0.10:53: server misbehaving\nGet "https://myreg.azurecr.io/v2/": connect: connection refused',
    );
    expect(summary(d)).toEqual({ verdict: 'network', kind: null, top: 'connection-refused' });
    expect(d.symptoms.map((s) => s.id)).toEqual(['connection-refused']);
    expect(d.facts?.otherHosts).toEqual(['registry-1.docker.io']);
  });

  test('an error naming no host is about ACR unless the paste names only other registries', () => {
    expect(summary(recognize('dial tcp 20.1.2.3:443: i/o timeout'))).toEqual({
      verdict: 'network',
      kind: null,
      top: 'client-timeout',
    });
    expect(summary(recognize('Pulling quay.io/app:1 ...\ndial tcp 20.1.2.3:443: i/o timeout'))).toMatchObject(
      {
        kind: 'other-registry',
      },
    );
    expect(
      summary(recognize('FROM quay.io/app:1 on myreg.azurecr.io\ndial tcp 20.1.2.3:443: i/o timeout')),
    ).toMatchObject({
      verdict: 'network',
    });
  });

  test('a situation alone (a kubelet back-off) is a network verdict with a modest score', () => {
    const d = recognize('Warning  Failed  kubelet  Error: ImagePullBackOff for myreg.azurecr.io/app:1');
    expect(summary(d)).toEqual({ verdict: 'network', kind: null, top: 'azure-service-pull' });
    expect(d.symptoms[0]?.score).toBeLessThan(0.7);
  });

  test('a failed ACR Tasks run without an error string is not enough for a verdict', () => {
    expect(
      recognize('Run ID: ca1 failed after 2m. Error: failed during run, err: exit status 1').verdict,
    ).toBe('unrecognized');
  });

  test('unrecognized text says so and still names the registry it mentions', () => {
    const d = recognize('Status: Downloaded newer image for vaultacr.azurecr.io/vault/agent:1.15.2');
    expect(d).toMatchObject({ verdict: 'unrecognized', kind: null, symptoms: [], causes: [] });
    expect(d.registry?.loginServer).toBe('vaultacr.azurecr.io');
    expect(recognize('').verdict).toBe('unrecognized');
  });

  test('the most specific error leads, before a tool’s generic report of the same failure', () => {
    const d = recognize(
      "An error occurred: CONNECTIVITY_CHALLENGE_ERROR\nRegistry 'x1234.azurecr.io' did not issue a challenge.\n" +
        "HTTPSConnectionPool(host='x1234.azurecr.io', port=443): Max retries exceeded with url: /v2/ (Caused by ProxyError('Cannot connect to proxy.', OSError('Tunnel connection failed: 403 Forbidden')))",
    );
    expect(d.symptoms.map((s) => s.id)).toEqual(['proxy-login-failed', 'cli-cannot-connect']);
  });
});

describe('the diagnosis', () => {
  const d = recognize(
    `Error response from daemon: Get "https://myreg.azurecr.io/v2/": dial tcp: lookup myreg.azurecr.io on 10.0.0.10:53: no such host`,
  );

  test('has exactly the contract keys plus facts', () => {
    expect(Object.keys(d)).toEqual(['verdict', 'kind', 'registry', 'symptoms', 'causes', 'facts']);
    expect(Object.keys(d.symptoms[0] ?? {})).toEqual(['id', 'score', 'evidence']);
    expect(Object.keys(d.causes[0] ?? {})).toEqual(['id', 'score']);
    expect(Object.keys(d.facts ?? {})).toEqual([
      'regions',
      'clientIp',
      'ips',
      'ports',
      'statusCodes',
      'otherHosts',
      'regionalEndpoints',
      'kindEvidence',
      'image',
    ]);
  });

  test('evidence is the matching line', () => {
    expect(d.symptoms[0]?.evidence).toBe(
      'Error response from daemon: Get "https://myreg.azurecr.io/v2/": dial tcp: lookup myreg.azurecr.io on 10.0.0.10:53: no such host',
    );
  });

  test('long lines are cut around the match', () => {
    const long = `${'x'.repeat(900)} dial tcp: lookup myreg.azurecr.io: no such host ${'y'.repeat(900)}`;
    const evidence = recognize(long).symptoms[0]?.evidence ?? '';
    expect(evidence.length).toBeLessThanOrEqual(maxEvidenceLength + 2);
    expect(evidence).toContain('no such host');
    expect(evidence.startsWith('…')).toBe(true);
    expect(evidence.endsWith('…')).toBe(true);
  });

  test('causes are ranked, add up to 1 and are the same for the same text', () => {
    // As in CONTRACT.md's example: a name that does not resolve, with nothing pointing at a VNet.
    expect(d.causes.map((c) => c.id)).toEqual(['client-firewall', 'vnet-config']);
    expect(d.causes.reduce((a, c) => a + c.score, 0)).toBeCloseTo(1, 5);
    expect(recognize(d.symptoms[0]?.evidence ?? '')).toEqual(recognize(d.symptoms[0]?.evidence ?? ''));
  });
});

describe('facts refine the causes', () => {
  const timeout = (ip: string) => `Get "https://myreg.azurecr.io/v2/": dial tcp ${ip}:443: i/o timeout`;

  test('a private address in a timeout raises the VNet', () => {
    expect(causeScore(recognize(timeout('10.1.2.4')), 'vnet-config')).toBeGreaterThan(
      causeScore(recognize(timeout('20.1.2.4')), 'vnet-config'),
    );
    expect(recognize(timeout('10.1.2.4')).causes[0]?.id).toBe('vnet-config');
    expect(recognize(timeout('20.1.2.4')).causes[0]?.id).toBe('client-firewall');
  });

  test('privatelink in a host raises the VNet', () => {
    const plain = recognize('lookup myreg.azurecr.io: server misbehaving');
    const privateLink = recognize('lookup myreg.privatelink.azurecr.io: server misbehaving');
    expect(causeScore(privateLink, 'vnet-config')).toBeGreaterThan(causeScore(plain, 'vnet-config'));
  });

  test('a proxy in the paste raises the client firewall', () => {
    const plain = recognize('lookup myreg.azurecr.io: server misbehaving');
    const proxied = recognize(
      'HTTPS_PROXY=http://10.9.9.9:3128\nlookup myreg.azurecr.io: server misbehaving',
    );
    expect(proxied.causes[0]?.id).toBe('client-firewall');
    expect(causeScore(proxied, 'client-firewall')).toBeGreaterThan(causeScore(plain, 'client-firewall'));
  });

  test('DENIED with a public client address points at the registry firewall, a private one at the VNet', () => {
    const denied = (ip: string) => recognize(`denied: client with IP '${ip}' is not allowed access`);
    expect(denied('203.0.113.9').causes[0]?.id).toBe('registry-public-access');
    expect(denied('203.0.113.9').facts?.clientIp).toBe('203.0.113.9');
    expect(denied('10.4.0.9').causes[0]?.id).toBe('vnet-config');
  });

  test('a timeout on a data endpoint raises the client firewall', () => {
    const login = recognize('Get "https://myreg.azurecr.io/v2/": dial tcp 20.1.2.4:443: i/o timeout');
    const data = recognize(
      'Get "https://myreg.westeurope.data.azurecr.io/x": dial tcp 20.1.2.5:443: i/o timeout',
    );
    expect(causeScore(data, 'client-firewall')).toBeGreaterThan(causeScore(login, 'client-firewall'));
  });

  test('a private destination puts the VNet first whatever the tool, data endpoint or not', () => {
    const docker = recognize(
      'Error response from daemon: Get "https://privtimeout.azurecr.io/v2/": dial tcp 10.2.0.9:443: i/o timeout',
    );
    const oras = recognize(
      'Error: failed to push blob: Put "https://sbomacr.eastus2.data.azurecr.io/v2/sboms/api/blobs/uploads/0f9e": dial tcp 10.2.0.9:443: i/o timeout',
    );
    expect([docker.causes[0]?.id, oras.causes[0]?.id]).toEqual(['vnet-config', 'vnet-config']);
  });

  test('a private DNS server says little: a home or office resolver is private too', () => {
    const d = recognize('dial tcp: lookup inventory.azurecr.io on 192.168.65.7:53: no such host');
    expect(d.causes[0]?.id).toBe('client-firewall');
    expect(causeScore(d, 'vnet-config')).toBeGreaterThan(
      causeScore(recognize('dial tcp: lookup inventory.azurecr.io: no such host'), 'vnet-config'),
    );
  });

  test('a machine’s own address is no destination (kubectl describe’s Node and IP, curl’s "from")', () => {
    const denied = "denied: client with IP '20.86.147.201' is not allowed access";
    expect(
      recognize(`Node:   aks-nodepool1-1-vmss000001/10.224.0.5\nIP:   10.244.1.7\n${denied}`).causes,
    ).toEqual(recognize(denied).causes);
  });

  test('a privatelink name that resolves to a public front end puts the private DNS before public access', () => {
    const nslookup = [
      'Name:    weu-3.fe.azcr.io',
      'Address:  20.103.85.33',
      'Aliases:  ledgerprod.azurecr.io',
      '          ledgerprod.privatelink.azurecr.io',
    ].join('\n');
    const denied =
      'Error response from daemon: Get "https://ledgerprod.azurecr.io/v2/": denied: client with IP \'198.51.100.23\' is not allowed access.';
    expect(recognize(denied).causes[0]?.id).toBe('registry-public-access');
    expect(recognize(`${nslookup}\n${denied}`).causes[0]?.id).toBe('vnet-config');
  });

  test('no route to a public address is the client’s own network path, to a private one a private endpoint', () => {
    const ipv6 = recognize(
      'Get "https://dualstackacr.azurecr.io/v2/": dial tcp [2603:1020:203:3::1f]:443: connect: network is unreachable',
    );
    expect({ top: ipv6.symptoms[0]?.id, cause: ipv6.causes[0]?.id }).toEqual({
      top: 'no-route',
      cause: 'client-firewall',
    });
    expect(ipv6.symptoms[0]?.score).toBeLessThan(0.9);
    const pe = recognize(
      'Get "https://corebank.azurecr.io/v2/": dial tcp 10.40.3.5:443: connect: no route to host',
    );
    expect({ top: pe.symptoms[0]?.id, cause: pe.causes[0]?.id }).toEqual({
      top: 'private-endpoint-unreachable',
      cause: 'vnet-config',
    });
  });

  test('PowerShell’s Test-NetConnection is recognized', () => {
    const test = (ip: string) =>
      recognize(
        `PS C:\\> Test-NetConnection legalacr.azurecr.io -Port 443\nWARNING: TCP connect to (${ip} : 443) failed\nTcpTestSucceeded       : False`,
      );
    expect(test('10.40.1.6').symptoms[0]?.id).toBe('private-endpoint-unreachable');
    expect(test('20.40.1.6').symptoms[0]?.id).toBe('client-timeout');
    expect(recognize('WARNING: Name resolution of legalacr.azurecr.io failed').symptoms[0]?.id).toBe(
      'dns-lookup',
    );
  });
});

describe('size', () => {
  test('the limit is at least 1 MiB and text up to it is read', () => {
    expect(maxPasteBytes).toBeGreaterThanOrEqual(1024 * 1024);
    const atLimit = `dial tcp: lookup myreg.azurecr.io: no such host\n${'a'.repeat(maxPasteBytes - 48)}`;
    expect(Buffer.byteLength(atLimit)).toBe(maxPasteBytes);
    expect(recognize(atLimit).verdict).toBe('network');
  });

  test('larger text is refused with readable sizes, counting UTF-8 bytes', () => {
    const tooLarge = 'ä'.repeat(maxPasteBytes / 2 + 1);
    let caught: unknown;
    try {
      recognize(tooLarge);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AcrcheckError);
    expect(caught).toMatchObject({
      code: 'ACRCHECK_INPUT_TOO_LARGE',
      params: { size: '2.000002 MB', limit: '2 MB' },
    });
    expect(() => recognize('x'.repeat(3 * 1024 * 1024 + 300 * 1024))).toThrow(
      /3\.3 MB long; acrcheck reads at most 2 MB/,
    );
  });

  test.each([
    [512, '512 bytes'],
    [28 * 1024, '28 KB'],
    [28_700, '28.0 KB'],
    [1024 * 1024, '1 MB'],
    [3_355_443, '3.2 MB'],
  ])('%i bytes read as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  test('a size just above the limit never reads as the limit itself', () => {
    expect(formatSize(maxPasteBytes + 1, maxPasteBytes)).toBe('2.000001 MB');
    expect(formatSize(maxPasteBytes + 200 * 1024, maxPasteBytes)).toBe('2.2 MB');
    expect(formatSize(28 * 1024 + 1, 28 * 1024)).toBe('28.001 KB');
  });
});

describe('hostile input finishes', () => {
  const megabyte = (unit: string): string =>
    unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);
  test.each([
    ['one long line', megabyte('a')],
    ['dotted names', megabyte('a.')],
    ['host-like runs', megabyte('x.azurecr.io ')],
    ['almost a needle', megabyte('no such hos')],
    ['needles on every line', megabyte('": eof\n')],
    ['tiny lines', megabyte('x\n')],
    ['tag openers', megabyte('<p')],
    ['entity openers', megabyte('&#')],
    ['escape openers', megabyte('\u001b[')],
    ['token prefixes', megabyte('eyJ')],
    ['flags', megabyte(' -p x')],
    ['JSON openers', megabyte('"a":"')],
    ['addresses', megabyte('10.0.0.1:443 ')],
    ['status-like numbers', megabyte('403 ')],
    ['IPv6-like runs', megabyte('ab:cd:')],
    ['mentions', megabyte('<at>')],
  ])(
    '%s (1 MB)',
    (_, text) => {
      const d = recognize(text);
      expect(['network', 'not-network', 'unrecognized']).toContain(d.verdict);
    },
    60_000,
  );
});
