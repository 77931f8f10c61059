import type { ProbeReport } from '../contract';

/** A probe job: the body of `POST /v1/probe` (CONTRACT.md §6). `registry` is a login server. */
export interface ProbeJob {
  id: string;
  registry: string;
  regions: string[];
  timeoutMs: number;
}

/** A place a probe runs from: the bot's own process, a runner service, a GitHub Actions workflow. */
export interface Runner {
  readonly name: string;
  /** Resolves with the report, or rejects with a {@link RunnerError} when the runner cannot report. */
  run(job: ProbeJob, signal: AbortSignal): Promise<ProbeReport>;
}

/** Why a runner could not report; each is a locale key `runners:error.<kind>`. */
export const runnerErrorKinds = ['down', 'timeout', 'garbage', 'refused'] as const;
export type RunnerErrorKind = (typeof runnerErrorKinds)[number];

/**
 * A runner that could not report: `down` (not reachable), `timeout` (no answer in time), `garbage` (an answer
 * that is not a valid, correctly signed report for this job), `refused` (it declined the job or our credentials).
 */
export class RunnerError extends Error {
  override readonly name = 'RunnerError';

  constructor(
    readonly runner: string,
    readonly kind: RunnerErrorKind,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`runner ${runner}: ${kind}: ${detail}`, options);
  }
}

/** True when `err` is a {@link RunnerError}. */
export function isRunnerError(err: unknown): err is RunnerError {
  return err instanceof RunnerError;
}
