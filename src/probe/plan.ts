import type { CheckId } from '../contract';
import type { Budgets, Deadline } from './check';

/** Bounds that keep a probe polite and quick. */
export const probeLimits = {
  /** Addresses of one host tried over TCP (both families, in resolver order). */
  maxAddresses: 4,
  /** Configured DNS servers asked directly. */
  maxDnsServers: 3,
  maxCnameHops: 10,
  /** Bytes of an HTTP answer read (never more; tokens are never read at all). */
  maxBody: 16_384,
  /** A certificate that expires sooner than this many days is worth a warning. */
  expiryWarningDays: 7,
  /** How long past its budget a check that ignores its signal is cut off. */
  graceMs: 150,
  /**
   * A phase that times out with less time than this proves nothing about the network (a far registry needs a
   * few round trips for TCP and TLS): it is reported as inconclusive, never as a firewall.
   */
  conclusiveMs: 1000,
} as const;

/**
 * Each check's share of the probe's timeout. Checks on one host run one after the other (dns → tcp → tls →
 * http), hosts and independent checks side by side; every budget is also cut at the deadline.
 */
export const budgetShare = {
  proxy: 0.4,
  dns: 0.4,
  tcp: 0.4,
  tls: 0.4,
  challenge: 0.5,
  token: 0.5,
  'data-endpoint': 0.5,
} as const satisfies Record<CheckId, number>;

/** The budgets for a probe with `timeoutMs`. */
export function budgets(timeoutMs: number): Budgets {
  return {
    timeoutMs,
    share: budgetShare,
    graceMs: probeLimits.graceMs,
    conclusiveMs: probeLimits.conclusiveMs,
  };
}

/** A deadline `timeoutMs` from now, also ending when `outer` aborts. Call `clear()` when done. */
export function startDeadline(timeoutMs: number, outer?: AbortSignal): Deadline & { clear(): void } {
  const controller = new AbortController();
  const ends = performance.now() + timeoutMs;
  const timer = setTimeout(
    () => controller.abort(new DOMException(`the probe's deadline of ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  const onOuter = (): void => controller.abort(new DOMException('the probe was cancelled', 'AbortError'));
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  return {
    signal: controller.signal,
    remaining: () => (controller.signal.aborted ? 0 : Math.max(0, Math.round(ends - performance.now()))),
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}
