import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type * as restify from 'restify';

import { loadConfig } from '../../src/config';
import { createServer, type ServerDeps } from '../../src/http/server';

/** The bot's server from the factory, listening on port 0 of a loopback address. */
export interface TestBot {
  url: string;
  server: restify.Server;
  logs: string[];
  close(): Promise<void>;
}

/**
 * Starts the bot from its factory. Live probes are off unless `env` configures them (the default local runner
 * would ask this machine's resolver, which is not on loopback); runners never see the shell's proxies.
 */
export async function startTestBot(
  host: string,
  env: Record<string, string> = {},
  deps: ServerDeps = {},
): Promise<TestBot> {
  const logs: string[] = [];
  const config = loadConfig({ ACRCHECK_LOCAL_RUNNER: 'false', ...env });
  const server = createServer(config, { log: (line) => logs.push(line), runners: { env: {} }, ...deps });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    logs,
    close: async () => {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One request the bot made to the connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/** A real HTTP connector on loopback that answers the bot's replies as Teams does and records them. */
export interface RecordingConnector {
  serviceUrl: string;
  calls: ConnectorCall[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startConnector(host: string): Promise<RecordingConnector> {
  const calls: ConnectorCall[] = [];
  let next = 1;
  const server: Server = createHttpServer((req, res) => {
    void readJson(req).then((body) => {
      calls.push({ method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), body });
      const id = req.method === 'PUT' ? (req.url ?? '').split('/').pop() : `reply-${next++}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
  });
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://${host}:${port}/`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs an activity to `/api/messages` as the Teams channel does (no token: local mode). */
export async function postActivity(
  bot: TestBot,
  activity: object,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
