import type { Config } from '../config';
import { AcrcheckError, isAcrcheckError } from '../errors';
import { packageVersion } from '../paths';
import { parseProbeJob } from './job';
import { createLocalRunner, type LocalRunnerOptions } from './local';
import { isRunnerError } from './runner';
import { createVerifier, signHeaders, type HeaderBag } from './signing';

/** The largest job body the runner service reads (a job is a few hundred bytes). */
export const maxJobBytes = 16 * 1024;

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
export function createRunnerService(config: Config, deps: RunnerServiceDeps = {}): RunnerService {
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
        if (isAcrcheckError(err)) return { ...json(400, { error: err.message }), note: err.message };
        throw err;
      }
      try {
        const report = await local.run(job, signal);
        const body = Buffer.from(JSON.stringify({ ...report, id: job.id, runner: { name } }));
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8', ...signHeaders(secret, body, now()) },
          body,
          note: `job ${job.id} ${job.registry}: ${report.verdict}`,
        };
      } catch (err) {
        if (isRunnerError(err)) {
          return {
            ...json(500, { error: `the probe did not finish: ${err.detail}` }),
            note: `job ${job.id}: ${err.detail}`,
          };
        }
        throw err;
      }
    },
  };
}
