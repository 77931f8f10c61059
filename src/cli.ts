#!/usr/bin/env node
import { isBrokenPipe } from './cli/io';
import { main } from './cli/main';

// A reader that stops reading (`| head`) makes writes fail; `main` ends quietly, so the stream's error event
// must not end the process with a stack trace first.
process.stdout.on('error', (err) => {
  if (!isBrokenPipe(err)) throw err;
});

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`acrcheck: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
