import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of the runner protocol (CONTRACT.md §6), as Node lower-cases them. */
export const signatureHeaders = {
  timestamp: 'x-acrcheck-timestamp',
  signature: 'x-acrcheck-signature',
} as const;

/** How far a timestamp may be from the receiver's clock, and how long an accepted signature is remembered. */
export const signatureWindowSeconds = 300;

/** How many accepted signatures a verifier remembers at most (≈ 66 signed messages a second for 300 s). */
export const defaultMaxRemembered = 20_000;

/** Headers as Node and undici present them: lower-case names, repeated headers as arrays. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** Why a signed message was refused; `busy` means the replay cache is full of live signatures. */
export type SignatureRefusal = 'missing' | 'malformed' | 'stale' | 'mismatch' | 'replay' | 'busy';

/** The outcome of checking a signed message: accepted, or refused with an English `error` for the 401 body. */
export type VerifyResult = { ok: true } | { ok: false; reason: SignatureRefusal; error: string };

const refusalText: Record<SignatureRefusal, string> = {
  missing: 'missing X-Acrcheck-Timestamp or X-Acrcheck-Signature header',
  malformed: 'malformed X-Acrcheck-Timestamp or X-Acrcheck-Signature header',
  stale: `X-Acrcheck-Timestamp is more than ${signatureWindowSeconds} s away from this server's clock`,
  mismatch: 'signature does not match',
  replay: 'this signature was already accepted (replay)',
  busy: 'too many signed messages within the signature window; try again later',
};

function hmac(secret: string, timestamp: string, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** `sha256=<lower-case hex HMAC-SHA256 of "<timestamp>.<raw body>">`, keyed with the shared secret. */
export function signature(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${hmac(secret, timestamp, body).toString('hex')}`;
}

/** The two headers that sign `body` now (or at `nowMs`). */
export function signHeaders(
  secret: string,
  body: Buffer | string,
  nowMs = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [signatureHeaders.timestamp]: timestamp,
    [signatureHeaders.signature]: signature(secret, timestamp, body),
  };
}

/** Checks signed messages and remembers the accepted ones, so that each is accepted once. */
export interface SignatureVerifier {
  /** Verifies `headers` against the exact bytes received; an accepted signature is remembered. */
  verify(headers: HeaderBag, body: Buffer): VerifyResult;
}

/** A verifier's clock and the most accepted signatures it remembers. */
export interface VerifierOptions {
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
  maxRemembered?: number;
}

const refuse = (reason: SignatureRefusal): VerifyResult => ({
  ok: false,
  reason,
  error: refusalText[reason],
});

/**
 * A verifier for one shared secret (CONTRACT.md §6): both headers present, the timestamp within 300 s of the
 * clock, the HMAC equal in constant time, and the signature not accepted before within the window. Memory is
 * bounded: expired signatures are swept, and past `maxRemembered` live ones new messages are refused (`busy`).
 */
export function createVerifier(secret: string, options: VerifierOptions = {}): SignatureVerifier {
  const now = options.now ?? Date.now;
  const maxRemembered = options.maxRemembered ?? defaultMaxRemembered;
  // signature hex → the second after which its timestamp is stale anyway
  const accepted = new Map<string, number>();
  let nextSweep = 0;

  const sweep = (nowSeconds: number): void => {
    for (const [key, expires] of accepted) if (expires < nowSeconds) accepted.delete(key);
    nextSweep = nowSeconds + 30;
  };

  return {
    verify(headers, body) {
      const timestamp = headers[signatureHeaders.timestamp];
      const given = headers[signatureHeaders.signature];
      if (timestamp === undefined || given === undefined) return refuse('missing');
      if (typeof timestamp !== 'string' || typeof given !== 'string') return refuse('malformed');
      const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(given.trim())?.[1];
      if (!/^\d{1,12}$/.test(timestamp) || !hex) return refuse('malformed');

      const nowSeconds = Math.floor(now() / 1000);
      const sent = Number(timestamp);
      if (Math.abs(nowSeconds - sent) > signatureWindowSeconds) return refuse('stale');

      const expected = hmac(secret, timestamp, body);
      if (!timingSafeEqual(Buffer.from(hex, 'hex'), expected)) return refuse('mismatch');

      const key = expected.toString('hex');
      if (nowSeconds >= nextSweep || accepted.size >= maxRemembered) sweep(nowSeconds);
      const seenUntil = accepted.get(key);
      if (seenUntil !== undefined && seenUntil >= nowSeconds) return refuse('replay');
      if (accepted.size >= maxRemembered) return refuse('busy');
      accepted.set(key, sent + signatureWindowSeconds);
      return { ok: true };
    },
  };
}
