import { connect } from 'node:net';

import type { ResolvedAddress } from '../addresses';
import type { Check, Outcome } from '../check';
import { errorCode } from '../net';
import { probeLimits } from '../plan';

/** Port every registry host answers on. */
export const httpsPort = 443;

interface Attempt {
  address: ResolvedAddress;
  ms: number;
  /** `connected`, or the error code. */
  outcome: string;
}

/** One TCP connection attempt, closed as soon as it is made; a timeout or abort counts as `ETIMEDOUT`. */
function attempt(address: ResolvedAddress, signal: AbortSignal): Promise<Attempt> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: address.address, port: httpsPort, family: address.family });
    const finish = (outcome: string): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ address, ms: Math.round(performance.now() - started), outcome });
    };
    const onAbort = (): void => finish('ETIMEDOUT');
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('connected'));
    socket.once('error', (err) => finish(errorCode(err)));
  });
}

/**
 * `tcp`: connects to port 443 of each address the name resolved to (both families, a few at most, all at
 * once): connected, refused, reset, unreachable or timed out, with the time each took. Behind a proxy the
 * proxy connects, so this check steps aside.
 */
export const tcpCheck: Check = {
  id: 'tcp',
  needs: ['dns'],
  async run({ target, facts, signal }): Promise<Outcome> {
    if (target.route.kind === 'proxy')
      return { status: 'skip', detail: { via: 'proxy', proxy: target.route.proxy.display } };
    const addresses = (facts.addresses ?? []).slice(0, probeLimits.maxAddresses);
    if (!addresses.length) return { status: 'skip', detail: { reason: 'no-address' } };
    const attempts = await Promise.all(addresses.map((a) => attempt(a, signal)));
    const reached = attempts.find((a) => a.outcome === 'connected');
    const failed = attempts.filter((a) => a.outcome !== 'connected');
    const headline = reached ?? attempts[0];
    if (!headline) throw new Error('no TCP attempt');
    const detail: Record<string, unknown> = {
      address: headline.address.address,
      addressClass: headline.address.addressClass,
      port: httpsPort,
      attempts: attempts.map((a) => ({
        address: a.address.address,
        family: a.address.family,
        ms: a.ms,
        outcome: a.outcome,
      })),
    };
    if (failed.length)
      detail.failedAddresses = failed.map((a) => `${a.address.address} (${a.outcome})`).join(', ');
    const firstFailure = failed[0];
    if (!firstFailure) return { status: 'pass', detail, facts: { address: headline.address } };
    if (reached)
      return { status: 'warn', code: firstFailure.outcome, detail, facts: { address: reached.address } };
    return {
      status: 'fail',
      code: headline.outcome,
      detail: { ...detail, waitedMs: headline.ms },
      facts: { address: null },
    };
  },
};
