import type { Check, Outcome } from '../check';
import { deniedClientIp, describeAnswer, get, type HttpAnswer } from '../http';

/** The scheme and parameters of a `Www-Authenticate` header (Bearer preferred when several are offered). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } | null {
  const bearer = /\bbearer\s+/i.exec(header);
  const start = bearer ? bearer.index : 0;
  const scheme = /^\s*([A-Za-z][\w-]*)/.exec(header.slice(start))?.[1];
  if (!scheme) return null;
  const params: Record<string, string> = {};
  const rest = header.slice(start + (bearer?.[0].length ?? scheme.length));
  for (const m of rest.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!(name in params)) params[name] = m[2] ?? m[3] ?? '';
  }
  return { scheme: scheme.toLowerCase(), params };
}

/** What every HTTP check keeps of an answer: status, the registry's headers, and what it looked like. */
export function answerDetail(answer: HttpAnswer): Record<string, unknown> {
  const h = answer.headers;
  return {
    status: answer.status,
    server: h.server ?? null,
    contentType: h['content-type'] ?? null,
    apiVersion: h['docker-distribution-api-version'] ?? null,
    correlationId: h['x-ms-correlation-request-id'] ?? null,
    answer: describeAnswer(answer),
  };
}

/** Classifies a non-401 answer the same way for every ACR request: firewall denial, throttling, server error, or not ACR. */
export function classifyRefusal(answer: HttpAnswer, detail: Record<string, unknown>): Outcome {
  const clientIp = deniedClientIp(answer);
  if (clientIp) return { status: 'fail', code: 'ACR_DENIED', detail: { ...detail, clientIp } };
  if (answer.status === 429)
    return {
      status: 'warn',
      code: 'THROTTLED',
      detail: { ...detail, retryAfter: answer.headers['retry-after'] ?? null },
    };
  if (answer.status >= 500 && answer.headers['x-ms-correlation-request-id'])
    return { status: 'fail', code: 'SERVER_ERROR', detail };
  return { status: 'fail', code: 'NOT_ACR', detail };
}

/**
 * `challenge`: `GET /v2/` over the address TLS reached. ACR answers 401 with `Www-Authenticate: Bearer
 * realm=…,service=…` naming this registry and `Docker-Distribution-Api-Version: registry/2.0`; its firewall
 * answers 403 DENIED with the client IP it saw; anything else (HTML, 200, 470, another server) is something
 * in between. The correlation id is kept for support tickets.
 */
export const challengeCheck: Check = {
  id: 'challenge',
  needs: ['tls'],
  async run(context): Promise<Outcome> {
    const result = await get(context, '/v2/');
    if (!result.ok) return { status: 'fail', code: result.code, detail: { path: '/v2/' } };
    const { answer } = result;
    const detail: Record<string, unknown> = { path: '/v2/', ...answerDetail(answer) };
    if (answer.status !== 401) return classifyRefusal(answer, detail);
    const header = answer.headers['www-authenticate'];
    const challenge = header ? parseChallenge(header) : null;
    if (!challenge) return { status: 'fail', code: 'NOT_ACR', detail };
    const host = context.target.host;
    Object.assign(detail, {
      scheme: challenge.scheme,
      realm: challenge.params.realm ?? null,
      service: challenge.params.service ?? null,
    });
    if (challenge.scheme !== 'bearer') return { status: 'warn', code: 'CHALLENGE_BASIC', detail };
    let realmHost: string | null = null;
    try {
      realmHost = new URL(challenge.params.realm ?? '').hostname.toLowerCase();
    } catch {
      realmHost = null;
    }
    if (realmHost !== host || (challenge.params.service ?? '').toLowerCase() !== host) {
      return { status: 'warn', code: 'CHALLENGE_MISMATCH', detail };
    }
    if (answer.headers['docker-distribution-api-version'] !== 'registry/2.0')
      return { status: 'warn', code: 'NO_API_VERSION', detail };
    return { status: 'pass', detail };
  },
};
