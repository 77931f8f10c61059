#!/usr/bin/env node
import { isAcrcheckError } from './errors';
import type * as StartModule from './http/start';
import { loadQuietly } from './quiet-load';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startBot } = loadQuietly(() => require('./http/start') as typeof StartModule);

const dev = process.argv.includes('--dev');
startBot({ dev }).then(
  ({ url }) => {
    process.stdout.write(`acrcheck: the bot listens on ${url}/api/messages\n`);
    if (dev) process.stdout.write(`acrcheck: the local chat page is ${url}/dev\n`);
  },
  (err: unknown) => {
    process.stderr.write(
      `acrcheck: ${isAcrcheckError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
