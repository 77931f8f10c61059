import type { Dispatcher } from 'undici';

import type { Config } from '../config';
import { AcrcheckError } from '../errors';
import { createGithubRunner } from './github';
import { createLocalRunner, type LocalRunnerOptions } from './local';
import { createPendingJobs, type PendingJobs } from './pending';
import { createRemoteRunner } from './remote';
import { createRunnerResults, type RunnerResults } from './results';
import type { Runner } from './runner';

export { newProbeJob, parseProbeJob } from './job';
export { resultsPath } from './github';
export { maxResultBytes, type JsonReply, type RunnerResults } from './results';
export { RunnerError, isRunnerError, runnerErrorKinds } from './runner';
export type { ProbeJob, Runner, RunnerErrorKind } from './runner';
export type { PendingJobs } from './pending';

/** What the runners take from their host besides the configuration; tests pass loopback doubles. */
export interface RunnerDeps {
  lookup?: LocalRunnerOptions['lookup'];
  env?: LocalRunnerOptions['env'];
  probe?: LocalRunnerOptions['probe'];
  dispatcher?: Dispatcher;
  now?: () => number;
}

/** The bot's runners and the pieces that receive results posted later. */
export interface RunnerSet {
  /** In configuration order: `local` (unless `ACRCHECK_LOCAL_RUNNER=false`), each `ACRCHECK_RUNNERS` entry, `github`. */
  runners: Runner[];
  /** Jobs awaiting a callback (the GitHub workflow's). */
  pending: PendingJobs;
  /** The `POST /api/runner-results` handler; null when no `ACRCHECK_RUNNER_SECRET` is set (the route then answers 404). */
  results: RunnerResults | null;
}

/**
 * Builds the runners CONTRACT.md §5 configures. Nothing listens or starts timers here.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` when remote or GitHub runners lack the shared secret or public URL
 *   (a configuration from `loadConfig` never does)
 */
export function createRunners(config: Config, deps: RunnerDeps = {}): RunnerSet {
  const secret = config.runnerSecret;
  const pending = createPendingJobs(deps.now ? { now: deps.now } : {});
  const runners: Runner[] = [];
  if (config.localRunner) {
    runners.push(
      createLocalRunner({
        settings: config.probe,
        ...(deps.lookup ? { lookup: deps.lookup } : {}),
        ...(deps.env ? { env: deps.env } : {}),
        ...(deps.probe ? { probe: deps.probe } : {}),
      }),
    );
  }
  const needSecret = (what: string): string => {
    if (secret) return secret;
    throw new AcrcheckError('ACRCHECK_BAD_CONFIG', `${what} needs ACRCHECK_RUNNER_SECRET`, {
      problems: `${what} needs ACRCHECK_RUNNER_SECRET`,
    });
  };
  for (const remote of config.runners) {
    runners.push(
      createRemoteRunner({
        name: remote.name,
        url: remote.url,
        secret: needSecret('ACRCHECK_RUNNERS'),
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      }),
    );
  }
  if (config.github) {
    needSecret('ACRCHECK_GITHUB_REPO');
    if (!config.publicUrl) {
      throw new AcrcheckError('ACRCHECK_BAD_CONFIG', 'GitHub runners need ACRCHECK_PUBLIC_URL', {
        problems: 'GitHub runners need ACRCHECK_PUBLIC_URL',
      });
    }
    runners.push(
      createGithubRunner({
        settings: config.github,
        publicUrl: config.publicUrl,
        pending,
        timeoutMs: config.runnerTimeoutMs,
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
      }),
    );
  }
  const results = secret
    ? createRunnerResults({ secret, pending, ...(deps.now ? { now: deps.now } : {}) })
    : null;
  return { runners, pending, results };
}
