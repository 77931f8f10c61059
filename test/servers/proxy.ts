import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

import { assertLoopback, listenOnLoopback } from './loopback';

/**
 * How the proxy treats `CONNECT host:443`: `tunnel` opens it (to the loopback address `routes` gives for the
 * host, 502 for hosts it has no route for), `deny-403`/`deny-407` refuse it like an allow-list or an
 * authenticating proxy, `eof` closes the connection without a word.
 */
export type ProxyMode = 'tunnel' | 'deny-403' | 'deny-407' | 'eof';

/** How to start a test proxy. */
export interface ProxyOptions {
  mode: ProxyMode;
  /** Host name → loopback address to tunnel to (port 443 stays as asked). The proxy never resolves names. */
  routes?: Record<string, string>;
  address?: string;
}

/** One CONNECT the proxy received. */
export interface RecordedConnect {
  target: string;
  headers: IncomingMessage['headers'];
}

/** A running test proxy. */
export interface TestProxy {
  readonly address: string;
  readonly port: number;
  /** `http://address:port`, for `HTTPS_PROXY`. */
  readonly url: string;
  readonly connects: RecordedConnect[];
  close(): Promise<void>;
}

const deny = {
  'deny-403':
    'HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: 27\r\nConnection: close\r\n\r\n<html>Access denied</html>\n',
  'deny-407':
    'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="contoso"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
} as const;

/** Starts a real HTTP forward proxy (CONNECT only) on a random loopback address and port. */
export async function startProxy(options: ProxyOptions): Promise<TestProxy> {
  for (const address of Object.values(options.routes ?? {})) assertLoopback(address);
  const connects: RecordedConnect[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.statusCode = 400;
    res.end('CONNECT only\n');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push({ target, headers: req.headers });
    client.on('error', () => client.destroy());
    if (options.mode === 'eof') {
      client.destroy();
      return;
    }
    if (options.mode !== 'tunnel') {
      client.end(deny[options.mode]);
      return;
    }
    const [host = '', portText = '443'] = target.split(':');
    const address = options.routes?.[host.toLowerCase()];
    if (!address) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = connect(Number(portText), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    client.on('close', () => upstream.destroy());
  });
  const address = await listenOnLoopback(server, 0, options.address);
  const port = (server.address() as { port: number }).port;
  return {
    address,
    port,
    url: `http://${address}:${port}`,
    connects,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
