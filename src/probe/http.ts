import { request } from 'undici';

import type { CheckContext } from './check';
import { errorCode } from './net';
import { probeLimits } from './plan';

/** An HTTP answer: status, headers (lower-case names, repeated values joined) and at most the first bytes of the body. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An answer, or the code of the network failure that prevented one. */
export type HttpResult = { ok: true; answer: HttpAnswer } | { ok: false; code: string };

/**
 * `GET https://<host><path>` over the host's own dispatcher (pinned to the address TLS reached, or through
 * the proxy), with our User-Agent, no credentials, no redirects, bounded by the check's signal. The body is
 * read only when `keepBody(status)` says so, and never beyond {@link probeLimits.maxBody} bytes.
 */
export async function get(
  context: CheckContext,
  path: string,
  keepBody: (status: number) => boolean = () => true,
): Promise<HttpResult> {
  const { target, facts, env, signal, budgetMs } = context;
  try {
    const response = await request(`https://${target.host}${path}`, {
      method: 'GET',
      dispatcher: env.dispatcher(target, facts.address ?? null, budgetMs),
      headers: { 'user-agent': env.userAgent, accept: 'application/json' },
      signal,
      headersTimeout: budgetMs,
      bodyTimeout: budgetMs,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    let body = '';
    if (keepBody(response.statusCode)) {
      const chunks: Buffer[] = [];
      let size = 0;
      response.body.on('data', (chunk: Buffer) => {
        if (size >= probeLimits.maxBody) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      await response.body.dump({ limit: probeLimits.maxBody, signal });
      body = Buffer.concat(chunks).subarray(0, probeLimits.maxBody).toString('utf8');
    } else {
      await response.body.dump({ limit: 1, signal });
    }
    return { ok: true, answer: { status: response.statusCode, headers, body } };
  } catch (err) {
    return { ok: false, code: errorCode(err) };
  }
}

/** The client IP in ACR's firewall answer (`client with IP '…' is not allowed access`), or null when it is not one. */
export function deniedClientIp(answer: HttpAnswer): string | null {
  if (answer.status !== 403) return null;
  let text = answer.body;
  try {
    const parsed = JSON.parse(answer.body) as { errors?: { code?: string; message?: string }[] };
    const denied = parsed.errors?.find((e) => e.code === 'DENIED');
    if (!denied) return null;
    text = denied.message ?? '';
  } catch {
    text = answer.body;
  }
  const match = /client with IP '?([0-9A-Fa-f:.]{2,45})'? is not allowed access/.exec(text);
  return match?.[1] ?? null;
}

/** A short description of a non-registry answer: the HTML title, else the Server header, else the content type. */
export function describeAnswer(answer: HttpAnswer): string {
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(answer.body)?.[1]?.trim();
  return title || answer.headers.server || answer.headers['content-type'] || 'no content';
}

/** True for an HTML page (a proxy's, a portal's, a web filter's), which a registry never serves. */
export function isHtml(answer: HttpAnswer): boolean {
  return (
    /text\/html/i.test(answer.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(answer.body)
  );
}
