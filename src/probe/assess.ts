import {
  findingRules,
  type CompoundMatch,
  type FindingId,
  type FindingRule,
  type ResultMatch,
} from '../catalogue/findings';
import {
  causeIds,
  checkIds,
  type CauseId,
  type CheckResult,
  type Finding,
  type ProbeCause,
} from '../contract';
import { translator, type Locale, type Translate } from '../i18n';
import { classifyHost } from '../target';

/** What check results add up to: the verdict, the causes best first, a one-line summary and the findings. */
export interface Assessment {
  verdict: 'healthy' | 'unhealthy';
  causes: ProbeCause[];
  summary: string;
  findings: Finding[];
}

type Rule = FindingRule;
const rules: readonly Rule[] = findingRules;
const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.id, r]));

const isCompound = (match: ResultMatch | CompoundMatch): match is CompoundMatch => 'all' in match;

function flagsOf(result: CheckResult): readonly unknown[] {
  const flags = result.detail.flags;
  return Array.isArray(flags) ? flags : [];
}

function matches(match: ResultMatch, result: CheckResult): boolean {
  const checks: readonly string[] | undefined = typeof match.check === 'string' ? [match.check] : match.check;
  if (checks !== undefined && !checks.includes(result.id)) return false;
  if (
    match.role !== undefined &&
    (classifyHost(result.host)?.kind === 'data' ? 'data' : 'login') !== match.role
  )
    return false;
  if (!match.status.includes(result.status)) return false;
  if (match.codes !== undefined && !match.codes.includes(result.code ?? '')) return false;
  if (match.flag !== undefined && !flagsOf(result).includes(match.flag)) return false;
  if (match.private !== undefined && (result.detail.addressClass === 'private') !== match.private)
    return false;
  return true;
}

function paramValue(value: unknown): string | number | null {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.join(', ');
  return null;
}

function raise(rule: Rule, result: CheckResult): Finding {
  const params: Record<string, string | number> = { host: result.host, ms: result.ms, check: result.id };
  if (result.code) params.code = result.code;
  const shown: string[] = [];
  for (const name of rule.params) {
    const value = paramValue(result.detail[name]);
    if (value === null) continue;
    params[name] = value;
    shown.push(`${name}=${value}`);
  }
  const evidence = `${result.id} ${result.host}: ${result.status}${result.code ? ` ${result.code}` : ''}${
    shown.length ? ` ${shown.join(' ')}` : ''
  } (${result.ms} ms)`;
  return { id: rule.id, cause: rule.cause, host: result.host, params, evidence };
}

/** Findings from check results, by the rules in `src/catalogue/findings.ts`. */
export function findingsOf(results: readonly CheckResult[]): Finding[] {
  const findings: Finding[] = [];
  for (const result of results) {
    const primary = rules.find(
      (r) => !isCompound(r.match) && r.match.flag === undefined && matches(r.match, result),
    );
    if (primary) findings.push(raise(primary, result));
    for (const rule of rules) {
      if (!isCompound(rule.match) && rule.match.flag !== undefined && matches(rule.match, result))
        findings.push(raise(rule, result));
    }
  }
  for (const rule of rules) {
    if (!isCompound(rule.match)) continue;
    const { all, any } = rule.match;
    const parts = [...all, ...(any ?? [])].flatMap((id) => findings.find((f) => f.id === id) ?? []);
    const present = (id: string): boolean => findings.some((f) => f.id === id);
    if (!all.every(present) || (any && !any.some(present))) continue;
    findings.push({
      id: rule.id,
      cause: rule.cause,
      host: parts[0]?.host ?? '',
      params: Object.assign({}, ...[...parts].reverse().map((p) => p.params)) as Record<
        string,
        string | number
      >,
      evidence: parts.map((p) => p.evidence).join('; '),
    });
  }
  return findings;
}

/** Notices that limit what "healthy" means: a healthy summary always says them. */
const caveats: readonly string[] = ['data-endpoints-unchecked'] satisfies readonly FindingId[];

/** How much a finding matters: a `problem`, a `notice`, or `ok` (something that works). */
export function findingSeverity(id: string): Rule['severity'] {
  return ruleById.get(id)?.severity ?? 'notice';
}

const severityOf = (finding: Finding): Rule['severity'] => findingSeverity(finding.id);
const weightOf = (finding: Finding): number => ruleById.get(finding.id)?.weight ?? 0;

/** Resolver labels in a DNS answer (`system` or a server's address) and the comparison that lists them. */
const resolverSeparator = ' → ';
const answerSeparator = '; ';
const checkIdSet: ReadonlySet<unknown> = new Set(checkIds);

/**
 * A check's name in the reader's language (`probe:checks.<id>`); an id this version does not know (a newer
 * runner's check) reads as the id itself.
 */
export function checkName(id: string, t: Translate): string {
  return checkIdSet.has(id) ? t(`probe:checks.${id}`) : id;
}

/**
 * Sentence params as a reader reads them, in the sentence's language. Resolver labels are data (`system` or a
 * server's address), in `resolver` and in each `<resolver> → <answer>` of `comparison`: they read as "this
 * machine's resolver" or "DNS server …". A check id in `check` reads as the check's name.
 */
export function readableParams(
  params: Readonly<Record<string, string | number>>,
  t: Translate,
): Record<string, string | number> {
  const resolverName = (resolver: string | number): string =>
    resolver === 'system' ? t('probe:resolvers.system') : t('probe:resolvers.server', { server: resolver });
  const { resolver, comparison, check } = params;
  const readable = { ...params };
  if (resolver !== undefined) readable.resolver = resolverName(resolver);
  if (typeof comparison === 'string') {
    readable.comparison = comparison
      .split(answerSeparator)
      .map((part) => {
        const at = part.indexOf(resolverSeparator);
        return at === -1 ? part : `${resolverName(part.slice(0, at))}${part.slice(at)}`;
      })
      .join(answerSeparator);
  }
  if (typeof check === 'string') readable.check = checkName(check, t);
  return readable;
}

/**
 * The localized sentence of a finding (`probe:findings.<id>`, interpolated with its params made readable, see
 * {@link readableParams}). A finding without a sentence (from a runner newer than this bot) reads as its evidence.
 */
export function renderFinding(finding: Finding, locale: Locale): string {
  const t = translator(locale);
  return t(`probe:findings.${finding.id}`, {
    ...readableParams(finding.params, t),
    defaultValue: finding.evidence || finding.id,
  });
}

/**
 * Turns check results into findings, the verdict (unhealthy when any finding is a problem), the causes
 * (ranked by the summed weight of the findings that point at them, each with their ids) and the summary
 * (the English sentence of the weightiest problem, or of what works followed by any caveat).
 */
export function assess(results: readonly CheckResult[], loginServer: string): Assessment {
  const findings = findingsOf(results);
  const problems = findings.filter((f) => severityOf(f) === 'problem');
  if (!problems.length) {
    const best =
      findings.find((f) => f.id === 'challenge-ok') ?? findings.find((f) => severityOf(f) === 'ok');
    const summary = [
      best ? renderFinding(best, 'en') : translator('en')('probe:summary.healthy', { host: loginServer }),
      ...findings.filter((f) => caveats.includes(f.id)).map((f) => renderFinding(f, 'en')),
    ].join(' ');
    return { verdict: 'healthy', causes: [], summary, findings };
  }
  const scores = new Map<CauseId, { score: number; findings: string[] }>();
  for (const finding of findings) {
    if (!finding.cause || severityOf(finding) === 'ok') continue;
    const entry = scores.get(finding.cause) ?? { score: 0, findings: [] };
    // The same finding on several hosts is one piece of evidence, not several.
    if (entry.findings.includes(finding.id)) continue;
    entry.score += weightOf(finding);
    entry.findings.push(finding.id);
    scores.set(finding.cause, entry);
  }
  const total = [...scores.values()].reduce((sum, e) => sum + e.score, 0) || 1;
  const causes = [...scores.entries()]
    .map(([id, e]) => ({
      id,
      score: Math.round((e.score / total) * 100) / 100,
      findings: e.findings,
      raw: e.score,
    }))
    .sort((a, b) => b.raw - a.raw || causeIds.indexOf(a.id) - causeIds.indexOf(b.id))
    .map(({ id, score, findings: ids }) => ({ id, score, findings: ids }));
  const top = problems.reduce((best, f) => (weightOf(f) > weightOf(best) ? f : best));
  return { verdict: 'unhealthy', causes, summary: renderFinding(top, 'en'), findings };
}
