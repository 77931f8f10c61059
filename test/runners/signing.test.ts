import { createHmac } from 'node:crypto';

import {
  createVerifier,
  signHeaders,
  signature,
  signatureHeaders,
  signatureWindowSeconds,
} from '../../src/runners/signing';
import { testSecret } from './helpers';

const body = Buffer.from(
  '{"id":"job-1","registry":"contosohealthy.azurecr.io","regions":[],"timeoutMs":5000}',
);
const t0 = 1_900_000_000_000;

function clock(start = t0): { now: () => number; advance(seconds: number): void } {
  let ms = start;
  return { now: () => ms, advance: (seconds) => (ms += seconds * 1000) };
}

describe('signing (CONTRACT.md §6)', () => {
  test('the signature is sha256=<lower-case hex HMAC-SHA256 of "<timestamp>.<raw body>">', () => {
    const headers = signHeaders(testSecret, body, t0);
    const expected = createHmac('sha256', testSecret).update(`1900000000.${body.toString()}`).digest('hex');
    expect(headers).toEqual({
      'x-acrcheck-timestamp': '1900000000',
      'x-acrcheck-signature': `sha256=${expected}`,
    });
    expect(signature(testSecret, '1900000000', body)).toBe(`sha256=${expected}`);
  });

  test('a correctly signed message is accepted once', () => {
    const c = clock();
    const verifier = createVerifier(testSecret, { now: c.now });
    const headers = signHeaders(testSecret, body, c.now());
    expect(verifier.verify(headers, body)).toEqual({ ok: true });
    c.advance(10);
    expect(verifier.verify(headers, body)).toMatchObject({ ok: false, reason: 'replay' });
  });

  test('upper-case hex is the same signature, so it is a replay too', () => {
    const c = clock();
    const verifier = createVerifier(testSecret, { now: c.now });
    const headers = signHeaders(testSecret, body, c.now());
    expect(verifier.verify(headers, body).ok).toBe(true);
    const upper = {
      ...headers,
      [signatureHeaders.signature]: `sha256=${headers['x-acrcheck-signature']!.slice(7).toUpperCase()}`,
    };
    expect(verifier.verify(upper, body)).toMatchObject({ ok: false, reason: 'replay' });
  });

  const refusals: [
    string,
    (h: Record<string, string>) => Record<string, string | string[] | undefined>,
    Buffer,
    string,
  ][] = [
    ['no timestamp header', (h) => ({ ...h, [signatureHeaders.timestamp]: undefined }), body, 'missing'],
    ['no signature header', (h) => ({ ...h, [signatureHeaders.signature]: undefined }), body, 'missing'],
    [
      'a signature without sha256=',
      (h) => ({ ...h, [signatureHeaders.signature]: h['x-acrcheck-signature']!.slice(7) }),
      body,
      'malformed',
    ],
    [
      'a timestamp that is not a number',
      (h) => ({ ...h, [signatureHeaders.timestamp]: '19e8' }),
      body,
      'malformed',
    ],
    [
      'the header twice',
      (h) => ({
        ...h,
        [signatureHeaders.signature]: [h['x-acrcheck-signature']!, h['x-acrcheck-signature']!],
      }),
      body,
      'malformed',
    ],
    ['a tampered body', (h) => h, Buffer.from(body.toString().replace('5000', '50000')), 'mismatch'],
    ['one byte appended to the body', (h) => h, Buffer.concat([body, Buffer.from(' ')]), 'mismatch'],
    [
      'a signature made with another secret',
      () => signHeaders('another-secret-0123456789', body, t0),
      body,
      'mismatch',
    ],
    [
      'another timestamp than the one signed',
      (h) => ({ ...h, [signatureHeaders.timestamp]: String(t0 / 1000 + 1) }),
      body,
      'mismatch',
    ],
  ];
  test.each(refusals)('refuses %s', (_name, change, received, reason) => {
    const verifier = createVerifier(testSecret, { now: () => t0 });
    const result = verifier.verify(change(signHeaders(testSecret, body, t0)), received);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.error).toMatch(/\w/);
    // nothing was remembered: the genuine message is still accepted afterwards
    expect(verifier.verify(signHeaders(testSecret, body, t0), body).ok).toBe(true);
  });

  test.each([
    ['301 s old', 'refused', -301],
    ['300 s old', 'accepted', -300],
    ['301 s in the future', 'refused', 301],
    ['300 s in the future', 'accepted', 300],
  ])('a timestamp %s is %s', (_name, outcome, offset) => {
    const verifier = createVerifier(testSecret, { now: () => t0 });
    const result = verifier.verify(signHeaders(testSecret, body, t0 + offset * 1000), body);
    expect(result.ok).toBe(outcome === 'accepted');
    if (!result.ok) expect(result.reason).toBe('stale');
  });

  test('a replay stays refused for the whole window, then is refused as stale', () => {
    const c = clock();
    const verifier = createVerifier(testSecret, { now: c.now });
    const headers = signHeaders(testSecret, body, c.now());
    expect(verifier.verify(headers, body).ok).toBe(true);
    c.advance(signatureWindowSeconds);
    expect(verifier.verify(headers, body)).toMatchObject({ reason: 'replay' });
    c.advance(1);
    expect(verifier.verify(headers, body)).toMatchObject({ reason: 'stale' });
  });

  test('memory is bounded: past the limit of live signatures new messages are refused as busy, then accepted once old ones expire', () => {
    const c = clock();
    const verifier = createVerifier(testSecret, { now: c.now, maxRemembered: 3 });
    const message = (n: number): Buffer => Buffer.from(`{"n":${n}}`);
    for (let n = 0; n < 3; n++)
      expect(verifier.verify(signHeaders(testSecret, message(n), c.now()), message(n)).ok).toBe(true);
    expect(verifier.verify(signHeaders(testSecret, message(3), c.now()), message(3))).toMatchObject({
      reason: 'busy',
    });
    c.advance(signatureWindowSeconds + 1);
    expect(verifier.verify(signHeaders(testSecret, message(4), c.now()), message(4)).ok).toBe(true);
  });
});
