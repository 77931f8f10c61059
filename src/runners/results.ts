import type { ProbeReport } from '../contract';
import type { PendingJobs } from './pending';
import { reportProblem } from './report';
import { RunnerError, runnerErrorKinds, type RunnerErrorKind } from './runner';
import { createVerifier, type HeaderBag, type SignatureVerifier } from './signing';

/** The largest result body the bot reads (a report of every check on a dozen hosts is a few KiB). */
export const maxResultBytes = 512 * 1024;

/** The longest reason a result's `error` may give for why no probe ran; a longer one is cut. */
export const maxErrorText = 1000;

/** A plain HTTP answer: the status and the JSON body to send. */
export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/** The bot's `POST /api/runner-results` (CONTRACT.md §6), as a function of the exact bytes and headers received. */
export interface RunnerResults {
  handle(rawBody: Buffer, headers: HeaderBag): JsonReply;
}

const error = (status: number, text: string): JsonReply => ({ status, body: { error: text } });

/** The `error` of a result that says why no probe ran, when it is one: a failure kind and a short text. */
function reasonOf(value: unknown): { kind: RunnerErrorKind; detail: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { kind, detail } = value as Record<string, unknown>;
  if (!runnerErrorKinds.includes(kind as RunnerErrorKind) || typeof detail !== 'string' || !detail.trim())
    return null;
  return { kind: kind as RunnerErrorKind, detail: detail.slice(0, maxErrorText) };
}

/**
 * Accepts results that runners post later: `202` accepted; `401` bad signature (nothing else happens);
 * `404` a job id not issued or expired; `409` a second result; `400` a body that is not a result. A signed
 * result whose report is malformed or names another registry settles its job as `garbage`; one with an
 * `error` ({ kind, detail }: why no probe ran) settles it as that failure.
 */
export function createRunnerResults(options: {
  secret: string;
  pending: PendingJobs;
  verifier?: SignatureVerifier;
  /** The clock for checking signatures (tests move it). */
  now?: () => number;
}): RunnerResults {
  const verifier =
    options.verifier ?? createVerifier(options.secret, options.now ? { now: options.now } : {});
  const { pending } = options;

  return {
    handle(rawBody, headers) {
      const verified = verifier.verify(headers, rawBody);
      if (!verified.ok) return error(401, verified.error);

      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return error(400, 'the body is not JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return error(400, 'the body is not a JSON object');
      }
      const { id, runner, report, error: failure } = body as Record<string, unknown>;
      if (typeof id !== 'string' || id.length === 0) return error(400, '"id" must be the job id');

      const known = pending.lookup(id);
      if (known.state === 'unknown')
        return error(404, `job ${id.slice(0, 128)} was not issued or has expired`);
      if (known.state === 'done') return error(409, `job ${id.slice(0, 128)} already has a result`);

      const garbage = (text: string): JsonReply => {
        pending.reject(id, new RunnerError(known.runner, 'garbage', text));
        return error(400, text);
      };
      if (typeof runner !== 'string' || runner.length === 0 || runner.length > 128) {
        return garbage('"runner" must be the runner\'s name');
      }
      // A newer field beside the report: why no probe ran (a refused target, a bad setting on the runner).
      const why = reasonOf(failure);
      if (why) {
        pending.reject(id, new RunnerError(known.runner, why.kind, why.detail));
        return { status: 202, body: { id, status: 'accepted' } };
      }
      const problem = reportProblem(report);
      if (problem) return garbage(`"report" is not a probe report: ${problem}`);
      const checked = report as ProbeReport;
      if (checked.id !== undefined && checked.id !== id)
        return garbage(`"report" answers job ${checked.id}, not ${id}`);
      if (checked.target.loginServer !== known.job.registry) {
        return garbage(
          `"report" probed ${checked.target.loginServer}, but job ${id} is for ${known.job.registry}`,
        );
      }
      pending.resolve(id, { ...checked, id, runner: { name: runner } });
      return { status: 202, body: { id, status: 'accepted' } };
    },
  };
}
