import type { Readable, Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { AcrcheckError } from '../errors';
import { resolveLocale, supportedLocales, type Locale } from '../i18n';

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

/**
 * True for the error a write gets when the reader has gone (`acrcheck diagnose --batch big.jsonl | head -1`):
 * the command then stops quietly, as a Unix tool does.
 */
export function isBrokenPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Refuses the command line: `main` prints `detail` on one line and exits 2. */
export function badUsage(detail: string): never {
  throw new AcrcheckError('ACRCHECK_BAD_USAGE', detail, { detail });
}

/** `util.parseArgs` with our usage error: unknown flags and missing values become ACRCHECK_BAD_USAGE. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    return badUsage(err instanceof Error ? err.message : String(err));
  }
}

/**
 * The language of a command's report: `--locale` when given (en, de or zh-TW, in any case), else the shell's
 * `LC_ALL`, `LC_MESSAGES` or `LANG`, the first that is set and not empty, its codeset dropped (`de_DE.UTF-8`).
 *
 * @throws AcrcheckError `ACRCHECK_BAD_USAGE` for any other `--locale`
 */
export function reportLocale(flag: string | undefined, env: CliIo['env']): Locale {
  if (flag !== undefined) {
    const locale = supportedLocales.find((l) => l.toLowerCase() === flag.toLowerCase());
    return locale ?? badUsage(`unknown locale '${flag}'; use ${supportedLocales.join(', ')}`);
  }
  const tag = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return resolveLocale(tag?.split(/[.@]/)[0]);
}
