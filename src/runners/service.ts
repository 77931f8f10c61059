import type { RunnerSettings } from '../config';
import { AcrcheckError, isAcrcheckError } from '../errors';
import { packageVersion } from '../paths';
import { busyError } from './http';
import { jobLimits, parseProbeJob, refusalText } from './job';
import { createLocalRunner, type LocalRunnerOptions } from './local';
import { isRunnerError } from './runner';
import { createVerifier, signHeaders, type HeaderBag } from './signing';
import { createSlots } from './slots';

/** The largest job body the runner service reads (a job is a few hundred bytes). */
export const maxJobBytes = 16 * 1024;

/**
 * How many probes the service runs at once, and how many wait for a turn. A job waits at most half its own
 * time and then runs for what is left of it, so that its report still reaches a caller who waits the job's time.
 */
export const serviceLimits = { concurrentProbes: 4, waitingProbes: 32 } as const;

/** An HTTP answer with its exact body bytes (signed answers must be sent as signed). */
export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** What happened, for the service's log (never secrets). */
  note?: string;
}

/** The runner service's routes as plain functions; `src/http/runner-service.ts` puts them on restify. */
export interface RunnerService {
  readonly name: string;
  /** `GET /healthz` (unsigned). */
  healthz(): RawReply;
  /** `POST /v1/probe`: the exact bytes and headers received; `signal` aborts the probe (the caller left). */
  probe(rawBody: Buffer, headers: HeaderBag, signal: AbortSignal): Promise<RawReply>;
  /** The answer for a body larger than {@link maxJobBytes}. */
  tooLarge(): RawReply;
}

/** What the service takes from its host besides the configuration; tests pass loopback doubles. */
export interface RunnerServiceDeps {
  lookup?: LocalRunnerOptions['lookup'];
  env?: LocalRunnerOptions['env'];
  probe?: LocalRunnerOptions['probe'];
  now?: () => number;
  /** Overrides {@link serviceLimits} (tests). */
  limits?: { concurrentProbes: number; waitingProbes: number };
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): RawReply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(value)),
});

/**
 * The runner service (CONTRACT.md §6): probes from this host for whoever holds the shared secret. A request
 * that is unsigned, wrongly signed, stale or replayed gets `401` and nothing else happens; a body that is not
 * a job, or a registry that is not an Azure container registry host, gets `400` before any packet leaves.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` without `ACRCHECK_RUNNER_SECRET`
 */
export function createRunnerService(
  config: Omit<RunnerSettings, 'port'>,
  deps: RunnerServiceDeps = {},
): RunnerService {
  const secret = config.runnerSecret;
  if (!secret) {
    const problem =
      'ACRCHECK_RUNNER_SECRET is not set: the runner service answers only requests signed with the secret it ' +
      'shares with the bot (at least 16 characters)';
    throw new AcrcheckError('ACRCHECK_BAD_CONFIG', problem, { problems: problem });
  }
  const now = deps.now ?? Date.now;
  const name = config.runnerName;
  const verifier = createVerifier(secret, { now });
  const version = packageVersion();
  const limits = deps.limits ?? serviceLimits;
  const slots = createSlots(limits.concurrentProbes, limits.waitingProbes);
  const local = createLocalRunner({
    name,
    settings: config.probe,
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.probe ? { probe: deps.probe } : {}),
  });

  return {
    name,
    healthz: () => json(200, { name, version }),
    tooLarge: () =>
      json(413, { error: `the body is larger than ${maxJobBytes} bytes` }, { connection: 'close' }),
    async probe(rawBody, headers, signal) {
      const verified = verifier.verify(headers, rawBody);
      if (!verified.ok) {
        return {
          ...json(verified.reason === 'busy' ? 503 : 401, { error: verified.error }),
          note: verified.error,
        };
      }
      let job;
      try {
        job = parseProbeJob(JSON.parse(rawBody.toString('utf8'))).job;
      } catch (err) {
        if (err instanceof SyntaxError)
          return { ...json(400, { error: 'the body is not JSON' }), note: 'not JSON' };
        if (isAcrcheckError(err)) {
          const error = refusalText(err);
          return { ...json(400, { error }), note: error };
        }
        throw err;
      }
      const arrived = performance.now();
      const release = await slots.acquire(Math.floor(job.timeoutMs / 2), signal);
      if (!release) {
        const error =
          `${busyError}: runner '${name}' has ${slots.running} probes running and ${slots.waiting} waiting, ` +
          "and no turn came within half of this job's time; try again in a few seconds";
        return { ...json(503, { error }, { 'retry-after': '5' }), note: `job ${job.id}: busy` };
      }
      const waited = Math.round(performance.now() - arrived);
      try {
        const report = await local.run(
          { ...job, timeoutMs: Math.max(jobLimits.minTimeoutMs, job.timeoutMs - waited) },
          signal,
        );
        const body = Buffer.from(JSON.stringify({ ...report, id: job.id, runner: { name } }));
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', ...signHeaders(secret, body, now()) },
          body,
          note: `job ${job.id} ${job.registry}: ${report.verdict}${waited > 0 ? ` (waited ${waited} ms for a turn)` : ''}`,
        };
      } catch (err) {
        if (isRunnerError(err)) {
          return {
            ...json(500, { error: `the probe did not finish: ${err.detail}` }),
            note: `job ${job.id}: ${err.detail}`,
          };
        }
        throw err;
      } finally {
        release();
      }
    },
  };
}
