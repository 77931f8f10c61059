import { causeIds, checkStatuses, type ProbeReport } from '../contract';

/**
 * Bounds on a report received from another host; anything larger is not a report we sent. A check id is any
 * id shaped like CONTRACT.md's (lower-case letters, digits, hyphens): a newer runner may add checks.
 */
export const reportLimits = {
  maxChecks: 256,
  maxFindings: 256,
  maxText: 4096,
  checkId: /^[a-z0-9][a-z0-9-]{0,63}$/,
} as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= reportLimits.maxText;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => list.includes(v as T);
const isTextList = (v: unknown): v is string[] => Array.isArray(v) && v.length <= 64 && v.every(isText);

function problemOfCheck(c: unknown, i: number): string | null {
  if (!isObject(c)) return `checks[${i}] is not an object`;
  if (typeof c.id !== 'string' || !reportLimits.checkId.test(c.id))
    return `checks[${i}].id is not a check id`;
  if (!isText(c.host)) return `checks[${i}].host is not a string`;
  if (!oneOf(checkStatuses, c.status)) return `checks[${i}].status is not pass, warn, fail or skip`;
  if (!isNumber(c.ms) || c.ms < 0) return `checks[${i}].ms is not a duration`;
  if (c.code !== undefined && !isText(c.code)) return `checks[${i}].code is not a string`;
  if (!isObject(c.detail)) return `checks[${i}].detail is not an object`;
  return null;
}

function problemOfFinding(f: unknown, i: number): string | null {
  if (!isObject(f)) return `findings[${i}] is not an object`;
  if (!isText(f.id)) return `findings[${i}].id is not a string`;
  if (f.cause !== null && !oneOf(causeIds, f.cause)) return `findings[${i}].cause is not a cause id`;
  if (f.host !== undefined && !isText(f.host)) return `findings[${i}].host is not a string`;
  if (!isObject(f.params) || !Object.values(f.params).every((p) => isText(p) || isNumber(p))) {
    return `findings[${i}].params is not a map of strings and numbers`;
  }
  if (!isText(f.evidence)) return `findings[${i}].evidence is not a string`;
  return null;
}

/**
 * Checks that `value` has the shape of `probe --json` (CONTRACT.md §2). Returns the first problem found as
 * a short English phrase, or null when it is a report. The contract grows by adding ids, so check ids and
 * finding ids this version does not know are kept; statuses, verdicts and cause ids are closed sets.
 */
export function reportProblem(value: unknown): string | null {
  if (!isObject(value)) return 'the report is not an object';
  const { target, runner, checks, verdict, causes, summary, findings, id } = value;
  if (id !== undefined && !isText(id)) return 'id is not a string';
  if (
    !isObject(target) ||
    !isText(target.name) ||
    !isText(target.loginServer) ||
    !isTextList(target.dataEndpoints)
  ) {
    return 'target is not a registry';
  }
  if (!isObject(runner) || !isText(runner.name)) return 'runner.name is missing';
  if (!Array.isArray(checks) || checks.length > reportLimits.maxChecks)
    return 'checks is not a list of checks';
  for (const [i, c] of checks.entries()) {
    const problem = problemOfCheck(c, i);
    if (problem) return problem;
  }
  if (verdict !== 'healthy' && verdict !== 'unhealthy') return 'verdict is not healthy or unhealthy';
  if (!Array.isArray(causes) || causes.length > causeIds.length) return 'causes is not a list of causes';
  for (const [i, c] of causes.entries()) {
    if (!isObject(c) || !oneOf(causeIds, c.id) || !isNumber(c.score) || !isTextList(c.findings)) {
      return `causes[${i}] is not a cause with a score and findings`;
    }
  }
  if (!isText(summary)) return 'summary is not a string';
  if (findings !== undefined) {
    if (!Array.isArray(findings) || findings.length > reportLimits.maxFindings)
      return 'findings is not a list';
    for (const [i, f] of findings.entries()) {
      const problem = problemOfFinding(f, i);
      if (problem) return problem;
    }
  }
  return null;
}

/** Narrows `value` to a {@link ProbeReport} when {@link reportProblem} finds nothing wrong. */
export function isProbeReport(value: unknown): value is ProbeReport {
  return reportProblem(value) === null;
}
