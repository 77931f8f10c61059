import { randomUUID } from 'node:crypto';

import type { Registry } from '../contract';
import { AcrcheckError, isAcrcheckError, refusalMessage } from '../errors';
import { classifyHost, parseRegistry } from '../target';
import { RunnerError, type ProbeJob } from './runner';

/** Bounds on a probe job; a job outside them is refused before any packet leaves. */
export const jobLimits = {
  /** Job ids travel as workflow inputs and shell variables: a short, plain token. */
  idPattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
  maxRegions: 16,
  minTimeoutMs: 100,
  maxTimeoutMs: 120_000,
} as const;

function bad(detail: string): never {
  throw new AcrcheckError('ACRCHECK_BAD_JOB', `bad probe job: ${detail}`, { detail });
}

/** True when `id` is a well-formed job id. */
export function isJobId(id: unknown): id is string {
  return typeof id === 'string' && jobLimits.idPattern.test(id);
}

/**
 * Validates a probe job as received (CONTRACT.md §6) and resolves its registry. Unknown fields are ignored
 * (the protocol grows by adding fields).
 *
 * @throws AcrcheckError `ACRCHECK_BAD_JOB` for a malformed job, `ACRCHECK_NOT_ACR_HOST` for a registry that
 *   is not an Azure container registry host
 */
export function parseProbeJob(value: unknown): { job: ProbeJob; registry: Registry } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    bad('the body is not a JSON object');
  const { id, registry, regions, timeoutMs } = value as Record<string, unknown>;
  if (!isJobId(id)) bad('"id" must be 1 to 128 letters, digits, ".", "_" or "-"');
  if (typeof registry !== 'string') bad('"registry" must be a string');
  if (!Array.isArray(regions) || !regions.every((r): r is string => typeof r === 'string')) {
    bad('"regions" must be an array of strings');
  }
  if (regions.length > jobLimits.maxRegions) bad(`"regions" has more than ${jobLimits.maxRegions} entries`);
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isInteger(timeoutMs) ||
    timeoutMs < jobLimits.minTimeoutMs ||
    timeoutMs > jobLimits.maxTimeoutMs
  ) {
    bad(`"timeoutMs" must be a whole number from ${jobLimits.minTimeoutMs} to ${jobLimits.maxTimeoutMs}`);
  }
  const target = parseRegistry(registry, regions);
  return { job: { id, registry: target.loginServer, regions: [...regions], timeoutMs }, registry: target };
}

/**
 * A refusal as one clear English sentence for a runner's answer or a card's evidence: the sentence of
 * `errors:ACRCHECK_NOT_ACR_HOST.<reason>` for a refused target, the message itself for other refusals.
 */
export function refusalText(err: AcrcheckError): string {
  return err.code === 'ACRCHECK_NOT_ACR_HOST' ? refusalMessage(err, 'en') : err.message;
}

/**
 * The registry of a job a runner was handed, checked as {@link parseProbeJob} checks it: a malformed job or a
 * host that is not an Azure container registry rejects as `refused` by `runner`, before any packet leaves.
 */
export function acceptJob(runner: string, job: ProbeJob): Registry {
  try {
    return parseProbeJob(job).registry;
  } catch (err) {
    if (isAcrcheckError(err)) throw new RunnerError(runner, 'refused', refusalText(err), { cause: err });
    throw err;
  }
}

/** A new job for `registry` with a fresh id; its regions are those of the registry's known data endpoints. */
export function newProbeJob(registry: Registry, timeoutMs: number): ProbeJob {
  const regions = registry.dataEndpoints.flatMap((host) => classifyHost(host)?.region ?? []);
  return { id: randomUUID(), registry: registry.loginServer, regions: [...new Set(regions)], timeoutMs };
}
