import type { Check, Outcome } from '../check';
import { deniedClientIp, get, isHtml } from '../http';
import { answerDetail, classifyRefusal } from './challenge';

/**
 * `data-endpoint`: an unauthenticated `GET /` on a regional data endpoint, where layer downloads go after the
 * login server's redirect. 403 is the healthy answer (reachable, merely not signed in); 403 DENIED with a
 * client IP is the registry's firewall; an HTML page, a 200 or a 470 is something in between.
 */
export const dataEndpointCheck: Check = {
  id: 'data-endpoint',
  needs: ['tls'],
  async run(context): Promise<Outcome> {
    const result = await get(context, '/');
    if (!result.ok)
      return { status: 'fail', code: result.code, detail: { path: '/', region: context.target.region } };
    const { answer } = result;
    const detail: Record<string, unknown> = {
      path: '/',
      region: context.target.region,
      ...answerDetail(answer),
    };
    if (answer.status === 403 && !deniedClientIp(answer) && !isHtml(answer))
      return { status: 'pass', detail };
    if (isHtml(answer) || answer.status === 200 || answer.status === 470 || deniedClientIp(answer)) {
      return classifyRefusal(answer, detail);
    }
    if (answer.status === 429) return classifyRefusal(answer, detail);
    return { status: 'warn', code: 'UNEXPECTED_STATUS', detail };
  },
};
