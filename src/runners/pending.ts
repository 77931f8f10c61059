import type { ProbeReport } from '../contract';
import { RunnerError, type ProbeJob } from './runner';

/** How many jobs may await a callback at once; past it a new job is refused rather than memory grown. */
export const defaultMaxPending = 10_000;

/** What the bot knows about a job id a result names. */
export type PendingLookup =
  { state: 'unknown' } | { state: 'waiting' | 'done'; job: ProbeJob; runner: string; expiresAt: number };

/** A job awaiting its result: `result` settles once; `cancel` forgets the job (later results get 404). */
export interface PendingJob {
  result: Promise<ProbeReport>;
  cancel(): void;
}

/** Jobs issued to runners that report later (the GitHub workflow): issued ids with expiry, one result each. */
export interface PendingJobs {
  /**
   * Registers `job` as awaiting one result from `runner` for `ttlMs`.
   *
   * @throws RunnerError `refused` when too many jobs already wait
   */
  expect(job: ProbeJob, runner: string, ttlMs: number): PendingJob;
  /** The job's state; expired and cancelled jobs are `unknown`. */
  lookup(id: string): PendingLookup;
  /** Settles a waiting job with its report; false when the job is not waiting. */
  resolve(id: string, report: ProbeReport): boolean;
  /** Settles a waiting job with a failure; false when the job is not waiting. */
  reject(id: string, error: RunnerError): boolean;
  /** Jobs remembered now (waiting or done, not yet expired). */
  readonly size: number;
}

interface Entry {
  job: ProbeJob;
  runner: string;
  expiresAt: number;
  settle: ((outcome: { report: ProbeReport } | { error: RunnerError }) => void) | null;
}

/**
 * In-memory pending jobs. Expiry is lazy (checked on every call, no timers); a settled job is kept until it
 * expires so that a second result for it is told apart (409) from one for a job never issued (404).
 */
export function createPendingJobs(options: { now?: () => number; maxPending?: number } = {}): PendingJobs {
  const now = options.now ?? Date.now;
  const maxPending = options.maxPending ?? defaultMaxPending;
  const entries = new Map<string, Entry>();

  const live = (id: string): Entry | undefined => {
    const entry = entries.get(id);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(id);
      return undefined;
    }
    return entry;
  };
  const sweep = (): void => {
    const t = now();
    for (const [id, entry] of entries) if (entry.expiresAt <= t) entries.delete(id);
  };
  const settle = (id: string, outcome: { report: ProbeReport } | { error: RunnerError }): boolean => {
    const entry = live(id);
    if (!entry?.settle) return false;
    const done = entry.settle;
    entry.settle = null;
    done(outcome);
    return true;
  };

  return {
    expect(job, runner, ttlMs) {
      sweep();
      if (entries.has(job.id)) throw new Error(`job id ${job.id} is already pending`);
      if (entries.size >= maxPending)
        throw new RunnerError(runner, 'refused', `${maxPending} jobs already await results`);
      const result = new Promise<ProbeReport>((resolve, reject) => {
        entries.set(job.id, {
          job,
          runner,
          expiresAt: now() + ttlMs,
          settle: (outcome) => ('report' in outcome ? resolve(outcome.report) : reject(outcome.error)),
        });
      });
      // A result may settle the job before its runner awaits it; that rejection is not unhandled.
      result.catch(() => undefined);
      return {
        result,
        cancel: () => {
          entries.delete(job.id);
        },
      };
    },
    lookup(id) {
      const entry = live(id);
      if (!entry) return { state: 'unknown' };
      return {
        state: entry.settle ? 'waiting' : 'done',
        job: entry.job,
        runner: entry.runner,
        expiresAt: entry.expiresAt,
      };
    },
    resolve: (id, report) => settle(id, { report }),
    reject: (id, error) => settle(id, { error }),
    get size() {
      sweep();
      return entries.size;
    },
  };
}
