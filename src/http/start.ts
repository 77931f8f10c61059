import type { AddressInfo } from 'node:net';

import type * as restify from 'restify';

import { defaults, loadConfig } from '../config';
import { createServer, type ServerDeps } from './server';

/** A started bot: the listening server and its base URL. */
export interface StartedBot {
  server: restify.Server;
  url: string;
}

/** Where `npm run dev` listens: this machine only, since the local mode answers without authentication. */
export const devHost = '127.0.0.1';

/**
 * Reads the configuration, builds the server and listens on `PORT` (default 3978): on every interface, or with
 * `deps.dev` (the local chat page) on {@link devHost} only.
 *
 * @param env the environment to read; the process's when absent
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` naming every bad variable, before anything listens
 */
export async function startBot(
  deps: ServerDeps & { env?: Record<string, string | undefined> } = {},
): Promise<StartedBot> {
  const config = loadConfig(deps.env);
  const server = createServer(config, deps);
  const port = config.port ?? defaults.botPort;
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    const listening = (): void => {
      server.server.off('error', reject);
      resolve();
    };
    if (deps.dev) server.listen(port, devHost, listening);
    else server.listen(port, listening);
  });
  const host = deps.dev ? devHost : 'localhost';
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}` };
}
