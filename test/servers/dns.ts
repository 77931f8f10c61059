import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';

import * as packet from 'dns-packet';

import { assertLoopback, randomLoopback } from './loopback';

/**
 * What the test DNS server answers for one name. A name with `cname` answers that CNAME (and, for A/AAAA
 * questions, follows it inside the zone like a recursive resolver would); otherwise `a`/`aaaa` (loopback
 * addresses only). `rcode` answers that error instead; `silent` never answers. Names not in the zone get
 * NXDOMAIN.
 */
export interface DnsRecord {
  cname?: string;
  a?: string[];
  aaaa?: string[];
  ttl?: number;
  rcode?: 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  silent?: boolean;
}

/** One question the server received. */
export interface DnsQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

/** A running test DNS server. */
export interface DnsServer {
  readonly address: string;
  readonly port: number;
  /** `address:port`, as `ACRCHECK_DNS_SERVERS`, `--dns-server` and `Resolver.setServers` take it. */
  readonly server: string;
  /** Every question received, in order. */
  readonly queries: DnsQuery[];
  /** Adds or replaces a name (`*.suffix` matches any name under suffix, the longest wildcard wins). */
  set(name: string, record: DnsRecord): void;
  /** Removes a name: it answers NXDOMAIN again. */
  delete(name: string): void;
  /** When true, the whole server never answers (a resolver that drops UDP/53). */
  silent: boolean;
  close(): Promise<void>;
}

const rcodes = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;
const maxChain = 16;

function checkRecord(record: DnsRecord): void {
  for (const address of record.a ?? []) assertLoopback(address);
  for (const address of record.aaaa ?? []) {
    if (address !== '::1') throw new Error(`test DNS answers only ::1 for AAAA, not ${address}`);
  }
}

/**
 * Starts a real DNS server over UDP and TCP on a random 127.x address and a random port, answering from
 * `zone`. Probes find it with `{ systemResolver: false, dnsServers: [{ host: address, port }] }`.
 */
export async function startDnsServer(
  zone: Record<string, DnsRecord> = {},
  address?: string,
): Promise<DnsServer> {
  const names = new Map<string, DnsRecord>();
  const queries: DnsQuery[] = [];
  const set = (name: string, record: DnsRecord): void => {
    checkRecord(record);
    names.set(name.toLowerCase().replace(/\.$/, ''), record);
  };
  for (const [name, record] of Object.entries(zone)) set(name, record);

  const find = (name: string): DnsRecord | undefined => {
    const exact = names.get(name);
    if (exact) return exact;
    let best: { length: number; record: DnsRecord } | undefined;
    for (const [key, record] of names) {
      if (!key.startsWith('*.')) continue;
      const suffix = key.slice(1);
      if (name.endsWith(suffix) && (!best || suffix.length > best.length))
        best = { length: suffix.length, record };
    }
    return best?.record;
  };

  const state = { silent: false };

  /** The response to one query, or null to stay silent. */
  const answer = (query: packet.DecodedPacket, transport: 'udp' | 'tcp'): Buffer | null => {
    const question = query.questions?.[0];
    if (!question || state.silent) return null;
    const qname = question.name.toLowerCase().replace(/\.$/, '');
    queries.push({ name: qname, type: question.type, transport });
    const answers: packet.Answer[] = [];
    let rcode: number = rcodes.NOERROR;
    let name = qname;
    for (let hop = 0; hop < maxChain; hop++) {
      const record = find(name);
      if (!record) {
        rcode = rcodes.NXDOMAIN;
        break;
      }
      if (record.silent) return null;
      if (record.rcode) {
        rcode = rcodes[record.rcode];
        break;
      }
      const ttl = record.ttl ?? 60;
      if (record.cname) {
        answers.push({ type: 'CNAME', name, ttl, data: record.cname });
        if (question.type === 'CNAME') break;
        name = record.cname.toLowerCase().replace(/\.$/, '');
        continue;
      }
      if (question.type === 'A')
        for (const a of record.a ?? []) answers.push({ type: 'A', name, ttl, data: a });
      if (question.type === 'AAAA')
        for (const a of record.aaaa ?? []) answers.push({ type: 'AAAA', name, ttl, data: a });
      break;
    }
    return packet.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | rcode,
      questions: query.questions ?? [],
      answers,
    });
  };

  const host = address ?? randomLoopback();
  assertLoopback(host);
  const { udp, tcp, port } = await bindBoth(host);

  udp.on('message', (message: Buffer, remote: RemoteInfo) => {
    let reply: Buffer | null = null;
    try {
      reply = answer(packet.decode(message), 'udp');
    } catch {
      return; // not a DNS message: drop it like a server would
    }
    if (reply) udp.send(reply, remote.port, remote.address);
  });

  const sockets = new Set<TcpSocket>();
  tcp.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        let reply: Buffer | null = null;
        try {
          reply = answer(packet.decode(message), 'tcp');
        } catch {
          socket.destroy();
          return;
        }
        if (reply) {
          const framed = Buffer.alloc(2 + reply.length);
          framed.writeUInt16BE(reply.length, 0);
          reply.copy(framed, 2);
          socket.write(framed);
        }
      }
    });
  });

  return {
    address: host,
    port,
    server: `${host}:${port}`,
    queries,
    set,
    delete: (name) => void names.delete(name.toLowerCase()),
    get silent() {
      return state.silent;
    },
    set silent(value: boolean) {
      state.silent = value;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

/** Binds UDP on a random port of `host`, then TCP on the same port (retrying when TCP finds it taken). */
async function bindBoth(host: string): Promise<{ udp: Socket; tcp: Server; port: number }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve());
    });
    const port = udp.address().port;
    const tcp = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (ok) return { udp, tcp, port };
    await new Promise<void>((resolve) => udp.close(() => resolve()));
  }
  throw new Error(`no free port for UDP and TCP on ${host}`);
}
