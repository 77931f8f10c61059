import { request, type Dispatcher } from 'undici';

import type { GithubSettings } from '../config';
import type { ProbeReport } from '../contract';
import { within } from './deadline';
import { errorText, readCapped, requestFailure, userAgent } from './http';
import { acceptJob } from './job';
import type { PendingJobs } from './pending';
import { RunnerError, type ProbeJob, type Runner } from './runner';

/** The REST API version the dispatch asks for (CONTRACT.md §6). */
export const githubApiVersion = '2022-11-28';

/** The bot's route that workflows post their results to, below `ACRCHECK_PUBLIC_URL`. */
export const resultsPath = '/api/runner-results';

/** The GitHub runner's settings (`ACRCHECK_GITHUB_*`), where results come back, and how long to wait. */
export interface GithubRunnerOptions {
  /** The name shown for this runner (default `github`). */
  name?: string;
  settings: GithubSettings;
  /** The bot's public base URL (`ACRCHECK_PUBLIC_URL`). */
  publicUrl: string;
  pending: PendingJobs;
  /** How long the workflow has to post its result (`ACRCHECK_RUNNER_TIMEOUT_MS`). */
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

/** What GitHub said about the run it started (only servers that know `return_run_details` say anything). */
interface Dispatched {
  runUrl: string | null;
}

/** The run's page from a `return_run_details` answer (`{workflow_run_id, run_url, html_url}`), if readable. */
function runUrlOf(raw: Buffer | null): string | null {
  let details: unknown;
  try {
    details = JSON.parse(raw?.toString('utf8') ?? '');
  } catch {
    return null;
  }
  if (typeof details !== 'object' || details === null) return null;
  const { html_url: html, run_url: api } = details as Record<string, unknown>;
  if (typeof html === 'string') return html;
  return typeof api === 'string' ? api : null;
}

/**
 * A GitHub Actions workflow as a runner: dispatches `workflow_dispatch` with the job as inputs, then waits for
 * the workflow's signed result to arrive through the bot's results route. Asks for `return_run_details` and
 * drops the field for good once a server (older GitHub Enterprise Server) rejects it.
 */
export function createGithubRunner(options: GithubRunnerOptions): Runner {
  const name = options.name ?? 'github';
  const { settings, pending, timeoutMs } = options;
  const url =
    `${settings.api.replace(/\/+$/, '')}/repos/${settings.repo}/actions/workflows/` +
    `${encodeURIComponent(settings.workflow)}/dispatches`;
  const callbackUrl = `${options.publicUrl.replace(/\/+$/, '')}${resultsPath}`;
  const agent = userAgent();
  let runDetails = true;

  const post = async (job: ProbeJob, signal: AbortSignal, withDetails: boolean) => {
    const body = JSON.stringify({
      ref: settings.ref,
      inputs: {
        registry: job.registry,
        regions: job.regions.join(','),
        job_id: job.id,
        callback_url: callbackUrl,
      },
      ...(withDetails ? { return_run_details: true } : {}),
    });
    try {
      const response = await request(url, {
        method: 'POST',
        body,
        signal,
        headers: {
          authorization: `Bearer ${settings.token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': githubApiVersion,
          'content-type': 'application/json',
          'user-agent': agent,
        },
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      return { status: response.statusCode, raw: await readCapped(response.body, 64 * 1024) };
    } catch (err) {
      throw requestFailure(name, err, signal);
    }
  };

  const dispatch = async (job: ProbeJob, signal: AbortSignal): Promise<Dispatched> => {
    let { status, raw } = await post(job, signal, runDetails);
    if (
      runDetails &&
      (status === 400 || status === 422) &&
      raw?.toString('utf8').includes('return_run_details')
    ) {
      runDetails = false;
      ({ status, raw } = await post(job, signal, false));
    }
    if (status === 204) return { runUrl: null };
    if (status === 200) return { runUrl: runUrlOf(raw) };
    const text = `GitHub answered ${status} to the dispatch of ${settings.workflow} in ${settings.repo}: ${errorText(raw)}`;
    if (status === 401 || status === 403 || status === 404 || status === 422) {
      throw new RunnerError(name, 'refused', text);
    }
    throw new RunnerError(name, status === 429 || status >= 500 ? 'down' : 'garbage', text);
  };

  return {
    name,
    async run(job, signal) {
      acceptJob(name, job);
      const waiting = pending.expect(job, name, timeoutMs);
      let dispatched: Dispatched | null = null;
      try {
        return await within<ProbeReport>(name, timeoutMs, signal, async (inner) => {
          dispatched = await dispatch(job, inner);
          return waiting.result;
        });
      } catch (err) {
        waiting.cancel();
        const runUrl = (dispatched as Dispatched | null)?.runUrl;
        if (err instanceof RunnerError && err.kind === 'timeout' && runUrl) {
          throw new RunnerError(name, 'timeout', `${err.detail} (workflow run ${runUrl})`, { cause: err });
        }
        throw err;
      }
    },
  };
}
