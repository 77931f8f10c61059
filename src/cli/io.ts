import type { Readable, Writable } from 'node:stream';

/** What a command reads and writes; tests pass their own streams. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** A subcommand: parses its own arguments and returns the exit status (0 whatever the verdict). */
export interface Command {
  /** One usage line per form, shown by `acrcheck --help` and on bad usage. */
  usage: string[];
  run(args: string[], io: CliIo): Promise<number>;
}

/** Writes `text` and resolves once the stream has taken it (so exit codes never cut output short). */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
