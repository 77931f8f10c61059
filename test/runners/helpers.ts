import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

import { request } from 'undici';

import type { ProbeReport } from '../../src/contract';
import { RunnerError } from '../../src/runners/runner';
import { listenOnLoopback } from '../servers/loopback';

/** The shared secret of every runner test (at least 16 characters, as the configuration demands). */
export const testSecret = 'runner-tests-shared-secret-0001';

/** A plain HTTP server on a random loopback address and port. */
export interface HttpServer {
  readonly url: string;
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens with `handler` (or an existing server) on `host` or a random 127.x address, port chosen by the kernel. */
export async function startHttp(
  handler: ((req: IncomingMessage, res: ServerResponse) => void) | Server,
  host?: string,
): Promise<HttpServer> {
  const server = typeof handler === 'function' ? createServer(handler) : handler;
  const address = await listenOnLoopback(server, 0, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A raw TCP server on a random loopback address (a runner that misbehaves below HTTP). */
export async function startTcp(onConnection: (socket: Socket) => void): Promise<HttpServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  const address = await listenOnLoopback(server, 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body to the end. */
export async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An answer as a test looks at it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  json: unknown;
}

/** Sends one request and reads the whole answer (loopback only). */
export async function send(
  url: string,
  options: { method?: 'GET' | 'POST'; body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const raw = Buffer.from(await response.body.arrayBuffer());
  let json: unknown = null;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    json = null;
  }
  return { status: response.statusCode, headers: response.headers, raw, json };
}

/**
 * A report shaped as CONTRACT.md §2 promises, for the routes that only carry reports (the results route, the
 * post-result command). Tests of what probes find use the real probe against the loopback doubles instead.
 */
export function contractReport(loginServer: string, runner = 'github-linux'): ProbeReport {
  const name = loginServer.split('.')[0] ?? loginServer;
  return {
    target: { name, loginServer, dataEndpoints: [] },
    runner: { name: runner },
    checks: [{ id: 'dns', host: loginServer, status: 'pass', ms: 3, detail: { addresses: ['127.9.9.9'] } }],
    verdict: 'healthy',
    causes: [],
    summary: `${loginServer} answers the registry challenge (401 with a Bearer realm).`,
  };
}

/** Waits until `predicate` holds (polling every 20 ms), failing after `ms`. */
export async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The {@link RunnerError} a run rejects with; the test fails when it resolves or rejects with anything else. */
export async function runnerFailure(promise: Promise<unknown>): Promise<RunnerError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(RunnerError);
    return err as RunnerError;
  }
  throw new Error('expected the runner to fail');
}
