import { request, type Dispatcher } from 'undici';

import type { ProbeReport } from '../contract';
import { runnerMarginMs, within } from './deadline';
import { busyError, errorText, readCapped, requestFailure, userAgent } from './http';
import { acceptJob } from './job';
import { reportProblem } from './report';
import { RunnerError, type Runner } from './runner';
import { createVerifier, signHeaders } from './signing';

/** The largest answer read from a runner service. */
export const maxReportBytes = 512 * 1024;

/** A runner service to probe from: its name on the card, its base URL and the shared secret. */
export interface RemoteRunnerOptions {
  name: string;
  /** The service's base URL, e.g. `https://runner.contoso.example:3979`. */
  url: string;
  secret: string;
  dispatcher?: Dispatcher;
  /** The clock for signing and checking signatures (tests move it). */
  now?: () => number;
}

/**
 * A runner service over signed HTTP (CONTRACT.md §6): `POST {url}/v1/probe` with the signed job; the answer
 * must be a signed report for this very job. Unreachable → `down`; no answer within the job's time → `timeout`;
 * anything else than such a report → `garbage`; a 400 or 401 → `refused`.
 */
export function createRemoteRunner(options: RemoteRunnerOptions): Runner {
  const { name, secret } = options;
  const now = options.now ?? Date.now;
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/probe`;
  const verifier = createVerifier(secret, { now });
  const agent = userAgent();

  const answer = (
    status: number,
    raw: Buffer | null,
    headers: Record<string, string | string[] | undefined>,
  ) => {
    if (status === 400)
      return new RunnerError(name, 'refused', `the runner refused the job: ${errorText(raw)}`);
    if (status === 401)
      return new RunnerError(name, 'refused', `the runner refused our signature: ${errorText(raw)}`);
    // Our runner service's own 503: reachable, but every turn was taken for longer than this job could wait.
    if (status === 503 && errorText(raw).startsWith(`${busyError}:`)) {
      return new RunnerError(name, 'timeout', `the runner was busy with other probes: ${errorText(raw)}`);
    }
    if (status === 502 || status === 503 || status === 504) {
      return new RunnerError(name, 'down', `HTTP ${status}: ${errorText(raw)}`);
    }
    if (status !== 200) return new RunnerError(name, 'garbage', `HTTP ${status}: ${errorText(raw)}`);
    if (!raw) return new RunnerError(name, 'garbage', `the answer is larger than ${maxReportBytes} bytes`);
    const verified = verifier.verify(headers, raw);
    if (!verified.ok)
      return new RunnerError(name, 'garbage', `the answer's signature is refused: ${verified.error}`);
    let report: unknown;
    try {
      report = JSON.parse(raw.toString('utf8'));
    } catch {
      return new RunnerError(name, 'garbage', 'the answer is not JSON');
    }
    const problem = reportProblem(report);
    if (problem) return new RunnerError(name, 'garbage', `the answer is not a probe report: ${problem}`);
    return report as ProbeReport;
  };

  return {
    name,
    async run(job, signal) {
      const registry = acceptJob(name, job);
      const body = Buffer.from(
        JSON.stringify({
          id: job.id,
          registry: job.registry,
          regions: job.regions,
          timeoutMs: job.timeoutMs,
        }),
      );
      return within(name, job.timeoutMs + runnerMarginMs, signal, async (inner) => {
        let response;
        try {
          response = await request(endpoint, {
            method: 'POST',
            body,
            signal: inner,
            headers: {
              'content-type': 'application/json',
              'user-agent': agent,
              ...signHeaders(secret, body, now()),
            },
            ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
          });
        } catch (err) {
          throw requestFailure(name, err, inner);
        }
        let raw;
        try {
          raw = await readCapped(response.body, maxReportBytes);
        } catch (err) {
          throw requestFailure(name, err, inner);
        }
        const outcome = answer(response.statusCode, raw, response.headers);
        if (outcome instanceof RunnerError) throw outcome;
        if (outcome.id !== job.id) {
          throw new RunnerError(
            name,
            'garbage',
            `the answer is for job ${String(outcome.id)}, not ${job.id}`,
          );
        }
        if (outcome.target.loginServer !== registry.loginServer) {
          throw new RunnerError(
            name,
            'garbage',
            `the answer probed ${outcome.target.loginServer}, not ${registry.loginServer}`,
          );
        }
        return outcome;
      });
    },
  };
}
