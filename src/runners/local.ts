import type { ProbeSettings } from '../config';
import { probe, type ProbeOptions } from '../probe';
import { runnerMarginMs, within } from './deadline';
import { acceptJob } from './job';
import type { Runner } from './runner';

/** The probe function a runner calls; tests and the service pass the real one. */
export type ProbeFunction = typeof probe;

/** What an in-process runner needs: the probe settings of this host, and optional resolver and proxy sources. */
export interface LocalRunnerOptions {
  /** The name reported in `runner.name` (default `local`). */
  name?: string;
  settings: ProbeSettings;
  lookup?: ProbeOptions['lookup'];
  env?: ProbeOptions['env'];
  probe?: ProbeFunction;
}

/**
 * The probe runs inside this process (the bot's embedded default, and the runner service's engine). A job for
 * a host that is not an Azure container registry is `refused` before any packet leaves.
 */
export function createLocalRunner(options: LocalRunnerOptions): Runner {
  const name = options.name ?? 'local';
  const run = options.probe ?? probe;
  return {
    name,
    async run(job, signal) {
      const registry = acceptJob(name, job);
      const report = await within(name, job.timeoutMs + runnerMarginMs, signal, (inner) =>
        run(registry, {
          ...options.settings,
          timeoutMs: job.timeoutMs,
          runnerName: name,
          signal: inner,
          ...(options.lookup ? { lookup: options.lookup } : {}),
          ...(options.env ? { env: options.env } : {}),
        }),
      );
      return { ...report, id: job.id, runner: { name } };
    },
  };
}
