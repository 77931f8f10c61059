import { clouds } from '../../src/catalogue/clouds';
import { recognize } from '../../src/recognize';
import { lineContext, scanClientIp, scanHosts, scanIps, scanStatusCodes } from '../../src/recognize/extract';

const facts = (text: string) => recognize(text).facts;

describe('registry hosts', () => {
  test.each(clouds.map((c) => c.suffix))('login servers, data and regional endpoints under %s', (suffix) => {
    const d = recognize(
      `dial tcp: lookup contosoacr.${suffix}: no such host\n` +
        `Get "https://contosoacr.westeurope.data.${suffix}/blob": i/o timeout\n` +
        `Head "https://contosoacr.eastus.geo.${suffix}/v2/": i/o timeout`,
    );
    // A regional (geo) endpoint is listed as it stands; it says nothing about dedicated data endpoints.
    expect(d.registry).toEqual({
      name: 'contosoacr',
      loginServer: `contosoacr.${suffix}`,
      dataEndpoints: [`contosoacr.westeurope.data.${suffix}`],
    });
    expect(d.facts?.regions).toEqual(['westeurope']);
    expect(d.facts?.regionalEndpoints).toEqual([`contosoacr.eastus.geo.${suffix}`]);
  });

  test('a hashed (domain name label) login server keeps its hash', () => {
    expect(recognize('lookup shopacr-e7fjd3bqg2h4c6a9.azurecr.io: no such host').registry).toEqual({
      name: 'shopacr',
      loginServer: 'shopacr-e7fjd3bqg2h4c6a9.azurecr.io',
      dataEndpoints: [],
    });
  });

  test('an image reference names its registry', () => {
    expect(
      recognize('Failed to pull image "myreg.azurecr.io/team/app:1.2": i/o timeout').registry?.loginServer,
    ).toBe('myreg.azurecr.io');
  });

  test('private-link names lead to the registry and its region', () => {
    const d = recognize(
      'myreg.westeurope.data.privatelink.azurecr.io: connection refused; myreg.privatelink.azurecr.io',
    );
    expect(d.registry?.loginServer).toBe('myreg.azurecr.io');
    expect(d.facts?.regions).toEqual(['westeurope']);
    expect(scanHosts('x myreg.privatelink.azurecr.io y')[0]).toMatchObject({
      kind: 'acr',
      privateLink: true,
    });
  });

  test('mixed case and surrounding punctuation', () => {
    expect(recognize('(MyReg01.AzureCR.io), <https://MyReg01.azurecr.io>').registry?.loginServer).toBe(
      'myreg01.azurecr.io',
    );
  });

  test('the registry on the evidence line wins over others named more often', () => {
    const d = recognize(
      'docs: other1.azurecr.io other1.azurecr.io other1.azurecr.io\ndial tcp: lookup target1.azurecr.io: no such host',
    );
    expect(d.registry?.loginServer).toBe('target1.azurecr.io');
  });

  test.each([
    '***.azurecr.io',
    '<registry>.azurecr.io',
    '<your-registry-name>.azurecr.io',
    '$ACR_NAME.azurecr.io',
    '${ACR}.azurecr.io',
    '{registry}.azurecr.io',
    'xxxx.azurecr.io',
    '.azurecr.io',
    'REDACTED.azurecr.io',
  ])('masked %s is an Azure registry without a name', (host) => {
    const [mention] = scanHosts(`Get "https://${host}/v2/": i/o timeout`);
    expect(mention).toMatchObject({ kind: 'acr', masked: true, registry: null });
    const d = recognize(`Get "https://${host}/v2/": net/http: TLS handshake timeout`);
    expect({ verdict: d.verdict, registry: d.registry }).toEqual({ verdict: 'network', registry: null });
  });

  test('a masked data endpoint still gives its region', () => {
    expect(facts('Get "https://***.northeurope.data.azurecr.io/x": i/o timeout')?.regions).toEqual([
      'northeurope',
    ]);
  });

  test('myregistry from the docs is a real name', () => {
    expect(recognize('dial tcp: lookup myregistry.azurecr.io: no such host').registry?.name).toBe(
      'myregistry',
    );
  });

  test.each(['acr1.azurecr.io', 'my_registry.azurecr.io', 'a.b.c.myreg.azurecr.io'])(
    'a malformed name under an Azure suffix (%s) is about ACR but names no registry',
    (host) => {
      expect(scanHosts(`Get "https://${host}/v2/"`)[0]).toMatchObject({ kind: 'acr', registry: null });
    },
  );

  test('the CNAME chain of a registry gives its region', () => {
    expect(facts('Name: r0318eus-az.eastus.cloudapp.azure.com\nAliases: myreg.azurecr.io')?.regions).toEqual([
      'eastus',
    ]);
  });
});

describe('other hosts', () => {
  test.each([
    ['registry-1.docker.io', 'Get "https://registry-1.docker.io/v2/": i/o timeout'],
    ['mcr.microsoft.com', 'Get https://mcr.microsoft.com/v2/: net/http: TLS handshake timeout'],
    ['ghcr.io', 'Head "https://ghcr.io/v2/a/b/manifests/1": EOF'],
    ['quay.io', 'pinging container registry quay.io: i/o timeout'],
    ['gcr.io', 'lookup gcr.io: no such host'],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'Get "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/": i/o timeout',
    ],
    ['harbor.corp.contoso.com', 'Get "https://harbor.corp.contoso.com/v2/": i/o timeout'],
    ['nexus.internal', 'Get "https://nexus.internal:8443/v2/": connection refused'],
  ])('%s is another registry that fails', (host, line) => {
    expect(lineContext(line)).toEqual({ acr: false, dataPath: false, otherHosts: [host] });
    const d = recognize(line);
    expect({ verdict: d.verdict, kind: d.kind }).toEqual({ verdict: 'not-network', kind: 'other-registry' });
    expect(d.facts?.otherHosts).toContain(host);
  });

  test('an image without a registry host is Docker Hub', () => {
    expect(lineContext('Failed to pull image "nginx:1.25": rpc error').otherHosts).toEqual(['docker.io']);
    expect(lineContext('Failed to pull image "bitnami/redis:7": rpc error').otherHosts).toEqual([
      'docker.io',
    ]);
    expect(lineContext('Failed to pull image "localhost:5000/app:1": rpc error').otherHosts).toEqual([]);
  });

  test('a proxy named on the line is not a failing registry', () => {
    expect(
      lineContext(
        'Get "https://myreg.azurecr.io/v2/": proxyconnect tcp: dial tcp: lookup proxy.corp.contoso.com: no such host',
      ),
    ).toEqual({ acr: true, dataPath: false, otherHosts: [] });
    expect(
      lineContext('proxyconnect tcp: dial tcp: lookup proxy.corp.contoso.com: no such host').otherHosts,
    ).toEqual([]);
  });

  test('documentation links and Azure infrastructure are not failing registries', () => {
    expect(
      lineContext('Refer https://aka.ms/acr/firewall or https://learn.microsoft.com/azure').otherHosts,
    ).toEqual([]);
    expect(lineContext("HTTPSConnectionPool(host='login.microsoftonline.com', port=443)").otherHosts).toEqual(
      [],
    );
  });

  test('storage accounts and data endpoints are the registry data path', () => {
    expect(lineContext('Get "https://acct.blob.core.windows.net/x": i/o timeout')).toMatchObject({
      acr: true,
      dataPath: true,
    });
    expect(lineContext('Get "https://myreg1.westus2.data.azurecr.io/x": i/o timeout')).toMatchObject({
      acr: true,
      dataPath: true,
    });
  });

  test('code and file names are not hosts', () => {
    expect(
      scanHosts('at remote_image.go:180 config.json Client.Timeout values.yaml main.py net/http'),
    ).toEqual([]);
  });
});

describe('addresses, ports and status codes', () => {
  test('IPv4 with ports; the source side of src->dst is left out of the ports', () => {
    expect(scanIps('read udp 10.244.1.5:39122->10.0.0.10:53: i/o timeout')).toEqual([
      { ip: '10.244.1.5', port: null, source: true, private: true },
      { ip: '10.0.0.10', port: 53, source: false, private: true },
    ]);
    expect(facts('dial tcp 20.60.228.33:443: i/o timeout')).toMatchObject({
      ips: ['20.60.228.33'],
      ports: [443],
    });
  });

  test('IPv6', () => {
    expect(
      scanIps('dial tcp [2001:db8:4c1::17]:443: connect: network is unreachable').map((i) => i.ip),
    ).toEqual(['2001:db8:4c1::17']);
    expect(scanIps('connect to ::1 and fe80::1').map((i) => i.ip)).toEqual(['::1', 'fe80::1']);
  });

  test('versions, times, digests and C++ names are not addresses', () => {
    expect(
      scanIps('Docker version 24.0.7, v1.2.3.4, at 12:34:56.789, sha256:abcdef0123, std::cout 01.2.3.4'),
    ).toEqual([]);
  });

  test('ports next to hosts and in port= form', () => {
    expect(facts("HTTPSConnectionPool(host='myreg.azurecr.io', port=443); proxy.corp:3128")?.ports).toEqual([
      3128, 443,
    ]);
  });

  test.each([
    ['login attempt failed with status: 403 Forbidden', [403]],
    ['unexpected status from GET request to https://x/oauth2/token: 401 Unauthorized', [401]],
    ["Access to registry 'x' was denied. Response code: 403.", [403]],
    ['HTTP/1.1 407 Proxy Authentication Required', [407]],
    ['status code=429 Too Many Requests', [429]],
    ['Get "https://x.azurecr.io/v2/": Forbidden', [403]],
    ['dial tcp 10.0.0.5:443: i/o timeout, exit code 127, after 404 seconds, Errno 111', []],
  ])('%s', (line, codes) => {
    expect(scanStatusCodes(line)).toEqual(codes);
  });

  test.each([
    ["denied: client with IP '203.0.113.7' is not allowed access", '203.0.113.7'],
    ['"message":"client with IP \\u0027172.214.169.102\\u0027 is not allowed access', '172.214.169.102'],
    ['client with IP 198.51.100.4 is not allowed access', '198.51.100.4'],
    ["client with IP '2001:db8::7' is not allowed access", '2001:db8::7'],
    ["client with IP '52.xxx. xxx.  xxx ' is not allowed access", null],
  ])('client address in %s', (line, ip) => {
    expect(scanClientIp(line)).toBe(ip);
  });
});
