import type { Duplex } from 'node:stream';

import { Client } from 'undici';

import type { Check, Outcome, ProxySetting } from '../check';
import type { ProbeEnv } from '../env';
import { errorCode } from '../net';
import { httpsPort } from './tcp';

/** A tunnel through the proxy to `host:443`, or why there is none. */
export type Tunnel =
  { ok: true; socket: Duplex; close(): void } | { ok: false; code: string; status?: number };

/**
 * Asks the proxy for `CONNECT host:443` with undici's client. A refusal keeps the proxy's status
 * (`PROXY_403`, `PROXY_407`, other statuses `PROXY_REFUSED`); a proxy that closes without answering is
 * `PROXY_EOF`; an `https://` proxy URL whose proxy speaks plain HTTP is `PROXY_SCHEME`.
 */
export async function openTunnel(
  env: ProbeEnv,
  proxy: ProxySetting,
  host: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Tunnel> {
  const url = proxy.url;
  if (!url) return { ok: false, code: 'PROXY_BAD_URL' };
  const client = new Client(url.origin, {
    connect: {
      lookup: env.lookup,
      timeout: timeoutMs,
      secureContext: env.secureContext,
      servername: url.hostname,
    },
    headersTimeout: timeoutMs,
  });
  const headers: Record<string, string> = { host: `${host}:${httpsPort}`, 'user-agent': env.userAgent };
  if (url.username) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  try {
    const { statusCode, socket } = await client.connect({ path: `${host}:${httpsPort}`, headers, signal });
    if (statusCode === 200) {
      return {
        ok: true,
        socket,
        close: () => {
          socket.destroy();
          void client.destroy();
        },
      };
    }
    socket.destroy();
    void client.destroy();
    const code = statusCode === 403 || statusCode === 407 ? `PROXY_${statusCode}` : 'PROXY_REFUSED';
    return { ok: false, code, status: statusCode };
  } catch (err) {
    void client.destroy();
    const code = errorCode(err);
    if (url.protocol === 'https:' && (code === 'NOT_TLS' || code === 'ECONNRESET' || code === 'EPROTO')) {
      return { ok: false, code: 'PROXY_SCHEME' };
    }
    return { ok: false, code: code === 'ECONNRESET' ? 'PROXY_EOF' : code };
  }
}

/**
 * `proxy`: when the environment names an HTTPS proxy, asks it to tunnel to the host exactly as Docker would,
 * so a refusal (403, 407), a silent close or a wrong URL scheme is reported as the proxy's doing. A host that
 * `NO_PROXY` sends around the proxy is skipped with the entry that matched.
 */
export const proxyCheck: Check = {
  id: 'proxy',
  needs: [],
  async run({ target, env, signal, budgetMs }): Promise<Outcome> {
    const route = target.route;
    if (route.kind === 'direct') {
      return route.proxy
        ? {
            status: 'skip',
            code: 'NO_PROXY',
            detail: { proxy: route.proxy.display, variable: route.proxy.variable, noProxy: route.bypass },
          }
        : { status: 'skip', detail: { proxy: null } };
    }
    const detail = {
      proxy: route.proxy.display,
      variable: route.proxy.variable,
      target: `${target.host}:${httpsPort}`,
    };
    const tunnel = await openTunnel(env, route.proxy, target.host, budgetMs, signal);
    if (tunnel.ok) {
      tunnel.close();
      return { status: 'pass', detail: { ...detail, status: 200 } };
    }
    return {
      status: 'fail',
      code: tunnel.code,
      detail: tunnel.status ? { ...detail, status: tunnel.status } : detail,
    };
  },
};
