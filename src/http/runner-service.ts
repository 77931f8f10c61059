import * as restify from 'restify';

import type { RunnerSettings } from '../config';
import { createRunnerService, maxJobBytes, type RawReply, type RunnerServiceDeps } from '../runners/service';
import { readRawBody } from './raw-body';

/** Where the service writes one line per request (the CLI passes standard output). */
export type AccessLog = (line: string) => void;

function send(res: restify.Response, reply: RawReply): void {
  res.sendRaw(reply.status, reply.body, reply.headers);
}

/**
 * The runner service on restify (CONTRACT.md §6): `GET /healthz` and `POST /v1/probe`. Not listening; the
 * caller listens (tests on port 0 at a loopback address). Signatures are checked over the exact bytes received,
 * so no body parser runs.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` without `ACRCHECK_RUNNER_SECRET`
 */
export function createRunnerServer(
  config: Omit<RunnerSettings, 'port'>,
  deps: RunnerServiceDeps & { log?: AccessLog } = {},
): restify.Server {
  const service = createRunnerService(config, deps);
  const server = restify.createServer({ name: 'acrcheck-runner' });
  const notes = new WeakMap<restify.Request, string>();
  const { log } = deps;
  if (log) {
    server.on('after', (req: restify.Request, res: restify.Response) => {
      const note = notes.get(req);
      log(
        `${new Date().toISOString()} ${req.method} ${req.path()} ${res.statusCode} ${Date.now() - req.time()} ms${note ? ` ${note}` : ''}`,
      );
    });
  }
  const healthz = async (_req: restify.Request, res: restify.Response): Promise<void> => {
    send(res, service.healthz());
  };
  server.get('/healthz', healthz);
  // Load balancers and uptime checks often ask with HEAD; Node's HTTP server sends the headers without the body.
  server.head('/healthz', healthz);
  server.post('/v1/probe', async (req: restify.Request, res: restify.Response) => {
    const raw = await readRawBody(req, maxJobBytes);
    if (!raw) {
      send(res, service.tooLarge());
      return;
    }
    const caller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) caller.abort();
    });
    const reply = await service.probe(raw, req.headers, caller.signal);
    if (reply.note) notes.set(req, reply.note);
    send(res, reply);
  });
  return server;
}
