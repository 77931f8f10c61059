import type { Check, Outcome } from '../check';
import { get } from '../http';
import { answerDetail, classifyRefusal } from './challenge';

/** A repository name no registry is expected to have: asking for it pulls nothing. */
export const harmlessScope = 'repository:acrcheck/probe:pull';

/**
 * `token`: an anonymous `GET /oauth2/token?service=<host>&scope=repository:acrcheck/probe:pull`. 401 means
 * the token server is reachable (anonymous pull off), 200 that anonymous pull is on (the token is never read),
 * 403 DENIED the registry's firewall, anything else something in between.
 */
export const tokenCheck: Check = {
  id: 'token',
  needs: ['tls'],
  async run(context): Promise<Outcome> {
    const host = context.target.host;
    const path = `/oauth2/token?service=${encodeURIComponent(host)}&scope=${encodeURIComponent(harmlessScope)}`;
    const result = await get(context, path, (status) => status !== 200);
    if (!result.ok) return { status: 'fail', code: result.code, detail: { path: '/oauth2/token' } };
    const { answer } = result;
    const detail: Record<string, unknown> = { path: '/oauth2/token', ...answerDetail(answer) };
    if (answer.status === 401) return { status: 'pass', detail: { ...detail, anonymousPull: false } };
    if (answer.status === 200 && !answer.headers['content-type']?.includes('html')) {
      return {
        status: 'pass',
        code: 'ANONYMOUS_PULL',
        detail: { ...detail, answer: 'token issued', anonymousPull: true },
      };
    }
    return classifyRefusal(answer, detail);
  },
};
