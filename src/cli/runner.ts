import type { AddressInfo } from 'node:net';

import { defaults, loadRunnerSettings } from '../config';
import type * as RunnerServiceModule from '../http/runner-service';
import { packageVersion } from '../paths';
import { loadQuietly } from '../quiet-load';
import { badUsage, parseFlags, write, type CliIo, type Command } from './io';

/**
 * `acrcheck runner [--host H] [--port N]`: serves the runner service (CONTRACT.md §6) until SIGINT or SIGTERM.
 * `PORT` (default 3979) and every probe variable come from the environment; `ACRCHECK_RUNNER_SECRET` is required.
 */
export const runnerCommand: Command = {
  usage: [
    'acrcheck runner [--host ADDRESS] [--port N]   serve probes to the bot (needs ACRCHECK_RUNNER_SECRET)',
  ],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseFlags({
      args,
      options: { host: { type: 'string' }, port: { type: 'string' } },
      allowPositionals: false,
    });
    const config = loadRunnerSettings(io.env);
    let port = config.port ?? defaults.runnerPort;
    if (values.port !== undefined) {
      if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
        badUsage(`--port ${values.port} is not a port number`);
      }
      port = Number(values.port);
    }
    // Loaded here, not at the top: restify is heavy and only this command needs it (and its load is noisy).
    const { createRunnerServer } = loadQuietly(
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      () => require('../http/runner-service') as typeof RunnerServiceModule,
    );
    const server = createRunnerServer(config, { log: (line) => io.stdout.write(`${line}\n`) });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      if (values.host) server.listen(port, values.host, resolve);
      else server.listen(port, resolve);
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    await write(
      io.stdout,
      `acrcheck runner '${config.runnerName}' ${packageVersion()} listening on http://${host}:${address.port}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close(() => resolve());
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
