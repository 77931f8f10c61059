import { promises as dns } from 'node:dns';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

import * as packet from 'dns-packet';
import { Agent, request } from 'undici';

import { blackhole } from '../servers/blackhole';
import { startDnsServer, type DnsServer } from '../servers/dns';
import { assertLoopback, randomLoopback } from '../servers/loopback';
import { createPki, type Pki } from '../servers/pki';
import { startProxy } from '../servers/proxy';
import { startRegistry, type RegistryDouble } from '../servers/registry';

let pki: Pki;
let server: DnsServer;
let registry: RegistryDouble;

beforeAll(async () => {
  pki = await createPki();
  registry = await startRegistry(pki, {
    'myregistry.azurecr.io': { behaviour: { kind: 'acr' } },
    'blocked.azurecr.io': { behaviour: { kind: 'denied', clientIp: '203.0.113.9' } },
  });
  server = await startDnsServer({
    'myregistry.azurecr.io': { cname: 'myregistry.privatelink.azurecr.io' },
    'myregistry.privatelink.azurecr.io': { a: [registry.address], aaaa: ['::1'], ttl: 30 },
    'broken.azurecr.io': { rcode: 'SERVFAIL' },
    'quiet.azurecr.io': { silent: true },
  });
});

afterAll(async () => {
  await Promise.all([server.close(), registry.close()]);
  await pki.remove();
});

function resolver(timeout = 500): dns.Resolver {
  const r = new dns.Resolver({ timeout, tries: 1 });
  r.setServers([server.server]);
  return r;
}

describe('the DNS server', () => {
  test('answers CNAME chains, A and AAAA with TTLs over UDP', async () => {
    const r = resolver();
    expect(await r.resolveCname('myregistry.azurecr.io')).toEqual(['myregistry.privatelink.azurecr.io']);
    expect(await r.resolve4('myregistry.azurecr.io', { ttl: true })).toEqual([
      { address: registry.address, ttl: 30 },
    ]);
    expect(await r.resolve6('myregistry.azurecr.io')).toEqual(['::1']);
  });

  test('answers NXDOMAIN, SERVFAIL, and nothing at all', async () => {
    // Long enough that a busy machine's answers still arrive; only the silent names wait it out.
    const r = resolver(1000);
    await expect(r.resolve4('unknown.azurecr.io')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(r.resolve4('broken.azurecr.io')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    await expect(r.resolve4('quiet.azurecr.io')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    server.silent = true;
    await expect(r.resolve4('myregistry.azurecr.io')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    server.silent = false;
  });

  test('answers over TCP too', async () => {
    const socket = netConnect(server.port, server.address);
    const reply = await new Promise<packet.Packet>((resolve, reject) => {
      let pending = Buffer.alloc(0);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0))
          resolve(packet.streamDecode(pending));
      });
      socket.write(
        packet.streamEncode({
          type: 'query',
          id: 7,
          flags: packet.RECURSION_DESIRED,
          questions: [{ type: 'A', name: 'myregistry.azurecr.io' }],
        }),
      );
    });
    socket.destroy();
    expect(reply.id).toBe(7);
    expect(reply.answers?.map((a) => [a.type, 'data' in a ? a.data : null])).toEqual([
      ['CNAME', 'myregistry.privatelink.azurecr.io'],
      ['A', registry.address],
    ]);
    expect(server.queries.some((q) => q.transport === 'tcp')).toBe(true);
  });

  test('refuses to hand out anything but loopback', () => {
    expect(() => server.set('x.azurecr.io', { a: ['10.0.0.4'] })).toThrow(/loopback/);
    expect(() => server.set('x.azurecr.io', { aaaa: ['2001:db8::1'] })).toThrow(/::1/);
    expect(() => assertLoopback('192.168.1.1')).toThrow();
    expect(randomLoopback()).toMatch(/^127\./);
  });
});

describe('the registry double', () => {
  const agent = (servername: string): Agent =>
    new Agent({
      connect: {
        ca: pki.azureRoot,
        servername,
        lookup: (_h, _o, cb) => cb(null, [{ address: registry.address, family: 4 }]),
      },
    });

  test('plays a healthy login server with ACR headers, trusted through the Azure-like root', async () => {
    const dispatcher = agent('myregistry.azurecr.io');
    const res = await request('https://myregistry.azurecr.io/v2/', { dispatcher });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="https://myregistry.azurecr.io/oauth2/token",service="myregistry.azurecr.io"',
    );
    expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
    expect(await res.body.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }] });
    await dispatcher.close();
  });

  test('plays the registry firewall', async () => {
    const dispatcher = agent('blocked.azurecr.io');
    const res = await request('https://blocked.azurecr.io/v2/', { dispatcher });
    expect(res.statusCode).toBe(403);
    expect(await res.body.text()).toContain("client with IP '203.0.113.9' is not allowed access");
    await dispatcher.close();
  });

  test('shows the certificate chosen by SNI', async () => {
    await registry.site('inspected.azurecr.io', { behaviour: { kind: 'acr' }, issuer: 'contoso' });
    const socket = tlsConnect({
      host: registry.address,
      port: 443,
      servername: 'inspected.azurecr.io',
      rejectUnauthorized: false,
    });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    expect(socket.getPeerCertificate().issuer.CN).toBe('Contoso Proxy CA');
    socket.destroy();
  });
});

describe('the proxies', () => {
  test.each([
    ['tunnel', 200],
    ['deny-403', 403],
    ['deny-407', 407],
  ] as const)('%s answers CONNECT with %d', async (mode, status) => {
    const proxy = await startProxy({ mode, routes: { 'myregistry.azurecr.io': registry.address } });
    const socket = netConnect(proxy.port, proxy.address);
    socket.write('CONNECT myregistry.azurecr.io:443 HTTP/1.1\r\nHost: myregistry.azurecr.io:443\r\n\r\n');
    const line = await new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(d.toString().split('\r\n')[0] ?? '')),
    );
    socket.destroy();
    expect(line).toMatch(new RegExp(`^HTTP/1.1 ${status}`));
    expect(proxy.connects[0]?.target).toBe('myregistry.azurecr.io:443');
    await proxy.close();
  });

  test('eof closes without a word', async () => {
    const proxy = await startProxy({ mode: 'eof' });
    const socket = netConnect(proxy.port, proxy.address);
    socket.write('CONNECT myregistry.azurecr.io:443 HTTP/1.1\r\nHost: x\r\n\r\n');
    const received = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(received).toBe('');
    await proxy.close();
  });

  test('only routes to loopback', async () => {
    await expect(startProxy({ mode: 'tunnel', routes: { 'a.azurecr.io': '10.0.0.1' } })).rejects.toThrow(
      /loopback/,
    );
  });
});

test('a blackhole drops packets until removed', async () => {
  const address = randomLoopback();
  const hole = await blackhole(address);
  const outcome = (): Promise<string> =>
    new Promise((resolve) => {
      const socket = netConnect(443, address);
      const timer = setTimeout(() => (socket.destroy(), resolve('timeout')), 300);
      socket.once('error', (e: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(e.code ?? 'error')));
      socket.once('connect', () => (clearTimeout(timer), socket.destroy(), resolve('connected')));
    });
  expect(await outcome()).toBe('timeout');
  await hole.remove();
  expect(await outcome()).toBe('ECONNREFUSED');
});
