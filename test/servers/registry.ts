import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';

import { listenOnLoopback } from './loopback';
import type { Issuer, Pki } from './pki';

/**
 * How one host of the registry double answers:
 * - `acr`: a healthy login server (`GET /v2/` → 401 Bearer challenge with ACR's headers; `/oauth2/token` → 401,
 *   or 200 with `anonymousPull`);
 * - `data`: a healthy data endpoint (`GET /` → 403 without credentials);
 * - `denied`: ACR's firewall (403 `DENIED … client with IP '<ip>' is not allowed access`, the IP it saw unless
 *   `clientIp` is given);
 * - `html`: a web filter's HTML block page (403); `not-registry`: some other web server (200);
 * - `status`: any status and body, e.g. 470 from Azure Firewall; `hang`: TLS completes, HTTP never answers.
 */
export type Behaviour =
  | { kind: 'acr'; anonymousPull?: boolean }
  | { kind: 'data' }
  | { kind: 'denied'; clientIp?: string }
  | { kind: 'html' }
  | { kind: 'not-registry' }
  | { kind: 'status'; status: number; body: string; contentType?: string }
  | { kind: 'hang' };

/** One host the double plays: how it answers and the certificate it shows (by SNI). */
export interface SiteOptions {
  behaviour: Behaviour;
  /** Who signs its certificate (default `azure`); `contoso` plays a TLS-inspecting proxy. */
  issuer?: Issuer;
  expired?: boolean;
  /** SAN names of its certificate (default: the host itself); give others for a name mismatch. */
  names?: string[];
}

/** A request the double received. */
export interface RecordedRequest {
  host: string;
  sni: string | null;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

/** A running registry double. */
export interface RegistryDouble {
  readonly address: string;
  readonly port: 443;
  readonly requests: RecordedRequest[];
  /** Adds or replaces a host. */
  site(host: string, options: SiteOptions): Promise<void>;
  close(): Promise<void>;
}

const acrUnauthorized = JSON.stringify({
  errors: [
    {
      code: 'UNAUTHORIZED',
      message: 'authentication required, visit https://aka.ms/acr/authorization for more information.',
      detail: null,
    },
  ],
});

/**
 * Writes the status and body in two calls: restify replaces `ServerResponse.prototype.writeHead` with one that
 * returns nothing, so chaining `.end()` breaks in any process that has loaded restify (the bot's tests).
 */
function send(res: ServerResponse, status: number, body?: string): void {
  res.writeHead(status);
  res.end(body);
}

function acrHeaders(res: ServerResponse): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Docker-Distribution-Api-Version', 'registry/2.0');
  res.setHeader('X-Ms-Correlation-Request-Id', randomUUID());
  res.setHeader('Server', 'AzureContainerRegistry');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}

function respond(behaviour: Behaviour, host: string, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  switch (behaviour.kind) {
    case 'acr':
      acrHeaders(res);
      if (path === '/v2/' || path === '/v2') {
        res.setHeader('Www-Authenticate', `Bearer realm="https://${host}/oauth2/token",service="${host}"`);
        send(res, 401, acrUnauthorized);
      } else if (path === '/oauth2/token' && behaviour.anonymousPull) {
        send(res, 200, JSON.stringify({ access_token: randomUUID() }));
      } else if (path === '/oauth2/token') {
        send(res, 401, acrUnauthorized);
      } else {
        send(
          res,
          404,
          JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] }),
        );
      }
      return;
    case 'data':
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('X-Ms-Correlation-Request-Id', randomUUID());
      send(
        res,
        403,
        JSON.stringify({
          errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }],
        }),
      );
      return;
    case 'denied': {
      acrHeaders(res);
      const ip = behaviour.clientIp ?? req.socket.remoteAddress ?? 'unknown';
      const message = `client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
      send(res, 403, JSON.stringify({ errors: [{ code: 'DENIED', message }] }));
      return;
    }
    case 'html':
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Server', 'ContosoWebGateway');
      send(
        res,
        403,
        '<html><head><title>Access blocked</title></head><body>This site is blocked by policy.</body></html>',
      );
      return;
    case 'not-registry':
      res.setHeader('Content-Type', 'text/html');
      send(res, 200, '<html><body>It works!</body></html>');
      return;
    case 'status':
      res.setHeader('Content-Type', behaviour.contentType ?? 'text/plain');
      send(res, behaviour.status, behaviour.body);
      return;
    case 'hang':
      return;
  }
}

/**
 * Starts the registry double: a real HTTPS server on port 443 of a random 127.x address that plays several
 * hosts at once, choosing the certificate by SNI and the answer by the Host header. Certificates come from
 * `pki` (trust `pki.azureRoot` in the probe). Needs root (port 443).
 */
export async function startRegistry(
  pki: Pki,
  sites: Record<string, SiteOptions> = {},
  address?: string,
): Promise<RegistryDouble> {
  const contexts = new Map<string, { context: SecureContext; behaviour: Behaviour }>();
  const fallback = await pki.leaf({ names: ['*.azurecr.io'] });
  const requests: RecordedRequest[] = [];

  const site = async (host: string, options: SiteOptions): Promise<void> => {
    const names = options.names ?? [host];
    const leaf = await pki.leaf({
      names,
      issuer: options.issuer ?? 'azure',
      expired: options.expired ?? false,
    });
    contexts.set(host.toLowerCase(), { context: createSecureContext(leaf), behaviour: options.behaviour });
  };
  for (const [host, options] of Object.entries(sites)) await site(host, options);

  const server = createHttpsServer({
    key: fallback.key,
    cert: fallback.cert,
    SNICallback: (servername, callback) => callback(null, contexts.get(servername.toLowerCase())?.context),
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const sni = (req.socket as Socket & { servername?: string | false }).servername || null;
    requests.push({ host, sni, method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    const entry = contexts.get(host) ?? (sni ? contexts.get(sni) : undefined);
    if (!entry) {
      send(res, 421);
      return;
    }
    respond(entry.behaviour, host, req, res);
  });
  const sockets = trackSockets(server);
  const bound = await listenOnLoopback(server, 443, address);
  return {
    address: bound,
    port: 443,
    requests,
    site,
    close: () => closeServer(server, sockets),
  };
}

/** A plain-HTTP server on port 443 (a captive portal or transparent proxy): TLS clients see `wrong version number`. */
export async function startPlainHttp(address?: string): Promise<{ address: string; close(): Promise<void> }> {
  const server = createHttpServer((_req, res) => {
    res.setHeader('Location', 'http://portal.example/');
    send(res, 302);
  });
  const sockets = trackSockets(server);
  const bound = await listenOnLoopback(server, 443, address);
  return { address: bound, close: () => closeServer(server, sockets) };
}

/** A port 443 that accepts TCP connections and then says nothing (a TLS handshake that stalls). */
export async function startTarpit(address?: string): Promise<{ address: string; close(): Promise<void> }> {
  const server = createTcpServer((socket) => socket.on('error', () => socket.destroy()));
  const sockets = trackSockets(server);
  const bound = await listenOnLoopback(server, 443, address);
  return { address: bound, close: () => closeServer(server, sockets) };
}

function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
