import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type * as restify from 'restify';

import { loadConfig } from '../../src/config';
import { createServer, type ServerDeps } from '../../src/http/server';
import { bodyOf, startHttp } from '../runners/helpers';
import { listenOnLoopback } from '../servers/loopback';

/** The bot's server from the factory, listening on a loopback address. */
export interface TestBot {
  url: string;
  server: restify.Server;
  logs: string[];
  close(): Promise<void>;
}

/**
 * Probe settings whose only resolver is a loopback address nobody answers on: a probe a test starts by accident
 * never leaves the machine (and fails, as it should, within its deadline).
 */
export function silentResolver(address: string): Record<string, string> {
  return { ACRCHECK_SYSTEM_RESOLVER: 'false', ACRCHECK_DNS_SERVERS: `${address}:5399` };
}

/**
 * Starts the bot from its factory on `host`, at `deps.port` (default: one the kernel picks). Live probes are off
 * unless `env` configures them (the default local runner would ask this machine's resolver, which is not on
 * loopback); runners never see the shell's proxies.
 */
export async function startTestBot(
  host: string,
  env: Record<string, string> = {},
  deps: ServerDeps & { port?: number } = {},
): Promise<TestBot> {
  const logs: string[] = [];
  const { port: wanted = 0, ...serverDeps } = deps;
  const config = loadConfig({ ACRCHECK_LOCAL_RUNNER: 'false', ...env });
  const server = createServer(config, {
    log: (line) => logs.push(line),
    runners: { env: {} },
    ...serverDeps,
  });
  await listenOnLoopback(server.server, wanted, host);
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

/** One request the bot made to the connector, and the activity id the connector answered with. */
export interface ConnectorCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
  id: string;
}

/** A real HTTP connector on loopback that answers the bot's replies as Teams does and records them. */
export interface RecordingConnector {
  serviceUrl: string;
  calls: ConnectorCall[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await bodyOf(req)).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Starts the connector on `host`: a new activity gets the id `reply-<n>`, an update keeps its own. */
export async function startConnector(host: string): Promise<RecordingConnector> {
  const calls: ConnectorCall[] = [];
  let next = 1;
  const http = await startHttp((req: IncomingMessage, res: ServerResponse) => {
    void readJson(req).then((body) => {
      const id = req.method === 'PUT' ? ((req.url ?? '').split('/').pop() ?? '') : `reply-${next++}`;
      calls.push({ method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), body, id });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    });
  }, host);
  return { serviceUrl: `${http.url}/`, calls, close: () => http.close() };
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

/** A turn as a user sees it: the HTTP answer to the activity, and what the bot sent the connector meanwhile. */
export async function turn(
  bot: TestBot,
  connector: RecordingConnector,
  activity: object,
): Promise<{ status: number; body: Record<string, unknown>; calls: ConnectorCall[] }> {
  const before = connector.calls.length;
  const { status, body } = await postActivity(bot, activity);
  return { status, body: body as Record<string, unknown>, calls: connector.calls.slice(before) };
}
