/** Error codes the checks report, normalized from Node's, OpenSSL's and undici's errors. */

/** How OpenSSL 3.x words a peer that answers a ClientHello with plain text (an HTTP server, a portal). */
const notTls = /wrong.version.number|packet.length.too.long|record.layer.failure/i;

const timeouts = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
  'ETIMEDOUT',
]);

/**
 * A stable code for a network error: the errno (`ECONNREFUSED`, `ECONNRESET`, `ENETUNREACH`…) or certificate
 * code where there is one, `NOT_TLS` for a peer that does not speak TLS (`wrong version number`), `ETIMEDOUT`
 * for every timeout and abort (our budgets abort), `ECONNRESET` for a peer that closed without a word.
 */
export function errorCode(err: unknown): string {
  const chain: { code?: unknown; message?: unknown; name?: unknown }[] = [];
  for (
    let e: unknown = err;
    e && typeof e === 'object' && chain.length < 6;
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e as { code?: unknown; message?: unknown; name?: unknown });
  }
  if (chain.some((e) => notTls.test(String(e.code)) || notTls.test(String(e.message)))) return 'NOT_TLS';
  for (const e of chain) {
    if (typeof e.code === 'string' && !e.code.startsWith('UND_ERR') && !timeouts.has(e.code)) return e.code;
  }
  if (
    chain.some((e) => timeouts.has(String(e.code)) || e.name === 'AbortError' || e.name === 'TimeoutError')
  ) {
    return 'ETIMEDOUT';
  }
  if (chain.some((e) => e.code === 'UND_ERR_SOCKET')) return 'ECONNRESET';
  return 'ERROR';
}

/** Resolves when `signal` aborts (for racing work that cannot be cancelled itself). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
