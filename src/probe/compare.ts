import {
  comparisonRules,
  type CheckMatch,
  type ComparisonId,
  type ComparisonRule,
  type ComparisonTopic,
  type Side,
  type ValueRef,
} from '../catalogue/comparisons';
import type { CauseId, CheckResult, ProbeReport } from '../contract';
import { translator, type Locale } from '../i18n';
import { classifyHost } from '../target';
import { readableParams } from './assess';

/** A report with the name of the runner it came from (the card's name for it, not what it calls itself). */
export interface RunnerReport {
  runner: string;
  report: ProbeReport;
}

/** Where two runners disagree, why that matters, and the results that show it. */
export interface Comparison {
  id: ComparisonId;
  topic: ComparisonTopic;
  /** The runner that saw the rule's `a` side, then the one that saw `b`. */
  runners: [string, string];
  cause: CauseId | null;
  host: string;
  params: Record<string, string | number>;
  /** Both sides' results, e.g. `local: challenge r.azurecr.io pass (12 ms); vnet-prod: tcp … fail ETIMEDOUT …`. */
  evidence: string;
}

const topics: readonly ComparisonTopic[] = ['path', 'dns'];
const rules: readonly ComparisonRule[] = comparisonRules;

function roleOf(result: CheckResult): 'login' | 'data' {
  return classifyHost(result.host)?.kind === 'data' ? 'data' : 'login';
}

function holds(match: CheckMatch, result: CheckResult): boolean {
  const ids: readonly string[] = typeof match.check === 'string' ? [match.check] : match.check;
  if (!ids.includes(result.id)) return false;
  if (roleOf(result) !== (match.role ?? 'login')) return false;
  if (!match.status.includes(result.status)) return false;
  if (match.codes && !match.codes.includes(result.code ?? '')) return false;
  if (match.addressClass && !match.addressClass.includes(String(result.detail.addressClass ?? '')))
    return false;
  return true;
}

/** The results that satisfy a side, one per match, or null when the report does not show it. */
function matchSide(side: Side, report: ProbeReport): CheckResult[] | null {
  if (side.verdict && report.verdict !== side.verdict) return null;
  const found: CheckResult[] = [];
  for (const match of side.checks) {
    const result = report.checks.find((r) => holds(match, r));
    if (!result) return null;
    found.push(result);
  }
  return found;
}

function valueOf(result: CheckResult | undefined, field: string): string | number | null {
  if (!result) return null;
  const value =
    field === 'host'
      ? result.host
      : field === 'code'
        ? result.code
        : field === 'ms'
          ? result.ms
          : result.detail[field];
  if (typeof value === 'string' || typeof value === 'number') return value;
  return null;
}

function evidenceOf(runner: string, report: ProbeReport, results: readonly CheckResult[]): string {
  if (!results.length) return `${runner}: ${report.verdict}`;
  const parts = results.map((r) => {
    const address = valueOf(r, 'address');
    return `${r.id} ${r.host} ${r.status}${r.code ? ` ${r.code}` : ''}${address !== null ? ` ${address}` : ''} (${r.ms} ms)`;
  });
  return `${runner}: ${parts.join(', ')}`;
}

/** The comparison a rule raises for runner `a` against runner `b`, or null when it does not hold. */
function apply(rule: ComparisonRule, a: RunnerReport, b: RunnerReport): Comparison | null {
  const seenA = matchSide(rule.a, a.report);
  const seenB = seenA && matchSide(rule.b, b.report);
  if (!seenA || !seenB) return null;
  for (const [index, field] of rule.differ ?? []) {
    const left = valueOf(seenA[index], field);
    const right = valueOf(seenB[index], field);
    if (left === null || right === null || left === right) return null;
  }
  const side = (ref: ValueRef): CheckResult | undefined => (ref[0] === 'a' ? seenA : seenB)[ref[1]];
  const host = seenA[0]?.host ?? a.report.target.loginServer;
  const params: Record<string, string | number> = { a: a.runner, b: b.runner, host };
  for (const [name, ref] of Object.entries(rule.params)) {
    const value = valueOf(side(ref), ref[2]);
    if (value === null) return null;
    params[name] = value;
  }
  return {
    id: rule.id as ComparisonId,
    topic: rule.topic,
    runners: [a.runner, b.runner],
    cause: rule.cause,
    host,
    params,
    evidence: `${evidenceOf(a.runner, a.report, seenA)}; ${evidenceOf(b.runner, b.report, seenB)}`,
  };
}

/**
 * What runners disagree about, by the rules in `src/catalogue/comparisons.ts`: for each pair of runners (in the
 * order given) and each topic, the first rule that holds in either direction. Runners that agree give nothing.
 */
export function compareReports(reports: readonly RunnerReport[]): Comparison[] {
  const found: Comparison[] = [];
  for (const [i, x] of reports.entries()) {
    for (const y of reports.slice(i + 1)) {
      for (const topic of topics) {
        for (const rule of rules.filter((r) => r.topic === topic)) {
          const comparison = apply(rule, x, y) ?? apply(rule, y, x);
          if (comparison) {
            found.push(comparison);
            break;
          }
        }
      }
    }
  }
  return found;
}

/**
 * The localized sentence of a comparison (`comparisons:<id>`, interpolated with its runners and values; resolvers
 * and checks named in words, see `readableParams`).
 */
export function renderComparison(comparison: Comparison, locale: Locale): string {
  const t = translator(locale);
  return t(`comparisons:${comparison.id}`, readableParams(comparison.params, t));
}
