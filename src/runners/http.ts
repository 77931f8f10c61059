import type { Readable } from 'node:stream';

import { errors } from 'undici';

import { packageVersion } from '../paths';
import { RunnerError } from './runner';

/** How the runner service's `503` body starts when no turn was free, so that callers can tell it from an outage. */
export const busyError = 'busy';

/** The User-Agent of every request the runners send. */
export function userAgent(): string {
  return `acrcheck/${packageVersion()}`;
}

/**
 * Reads a stream (a response body, a file, standard input) to its end, up to `limit` bytes; null as soon as it is
 * longer (the stream is destroyed: the rest is discarded and a connection closed).
 */
export async function readCapped(body: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Turns an error thrown while sending a request into a {@link RunnerError}: the signal's own reason when it
 * aborted (the deadline), `garbage` when the peer did not speak HTTP, `down` otherwise (refused, reset,
 * unresolvable, TLS failure).
 */
export function requestFailure(runner: string, err: unknown, signal: AbortSignal): RunnerError {
  if (signal.aborted && signal.reason instanceof RunnerError) return signal.reason;
  if (err instanceof errors.HTTPParserError) {
    return new RunnerError(runner, 'garbage', `the answer is not HTTP (${err.message})`, { cause: err });
  }
  const code = (err as { code?: unknown }).code;
  const text = err instanceof Error ? err.message : String(err);
  return new RunnerError(runner, 'down', typeof code === 'string' ? `${code}: ${text}` : text, {
    cause: err,
  });
}

/** The `error` of a `{"error": "…"}` body, or the start of the body as text. */
export function errorText(body: Buffer | null): string {
  if (!body || body.length === 0) return 'no details';
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // not JSON: the raw text says more than nothing
  }
  return text.slice(0, 300);
}
