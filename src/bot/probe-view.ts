import { isIP } from 'node:net';

import { causeText } from '../advice';
import type { Button, Card } from '../cards/bind';
import {
  probeCard,
  type EvidenceLine,
  type HostChecks,
  type RunnerSection,
  type TextColor,
} from '../cards/probe';
import { causeSymptoms, probeSymptoms } from '../catalogue/probe-symptoms';
import type { CauseId, CauseScore, Diagnosis, Finding, ProbeReport, SymptomId } from '../contract';
import { supportedLocales, translator, type Locale, type Translate } from '../i18n';
import { checkName, findingSeverity, renderFinding } from '../probe/assess';
import { compareReports, renderComparison, type Comparison, type RunnerReport } from '../probe/compare';
import type { ProbeRecord, RunnerKind } from '../state/probe-store';
import { classifyHost, parseRegistry } from '../target';
import { verbs } from './verbs';
import { clip, viewData } from './views';

/** At most this many sentences per runner, and comparisons per card: the card stays readable and small. */
export const probeCardLimits = { lines: 3, comparisons: 4, evidence: 300 } as const;

/**
 * Teams refuses cards over its size limit (413); 28 KB also fits webhooks. A card over this budget is built
 * again with less detail: first healthy runners lose their checks and sentences beyond two, then every runner
 * keeps only its first sentence and no checks.
 */
export const probeCardBudgetBytes = 27 * 1024;

/** How much detail a card carries: each level keeps less. */
interface Detail {
  lines: number;
  comparisons: number;
  /** Whose checks are listed. */
  checks: 'all' | 'unhealthy' | 'none';
}

const detailLevels: readonly Detail[] = [
  { lines: probeCardLimits.lines, comparisons: probeCardLimits.comparisons, checks: 'all' },
  { lines: 2, comparisons: probeCardLimits.comparisons, checks: 'unhealthy' },
  { lines: 1, comparisons: 2, checks: 'none' },
];

const icons = { pass: '✓', warn: '⚠', fail: '✗', skip: '–' } as const;
const severityOrder = { problem: 0, notice: 1, ok: 2 } as const;

/** The reports that came in, with the name of the runner each came from. */
export function reportsOf(record: ProbeRecord): RunnerReport[] {
  return record.runners.flatMap((r) =>
    r.outcome.state === 'reported' ? [{ runner: r.name, report: r.outcome.report }] : [],
  );
}

// Codes and hosts come from other hosts' reports and end up in Markdown (a FactSet): only what they look like.
const codePattern = /^[A-Za-z0-9_]{1,40}$/;
const plainHost = (host: string): string =>
  classifyHost(host) ? host : host.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 80);

/** Each host a report probed, with its checks on one line: `✓ DNS 3 ms · ✗ TCP 443 failed ETIMEDOUT 5002 ms`. */
function hostChecks(report: ProbeReport, t: Translate): HostChecks[] {
  const hosts = new Map<string, string[]>();
  for (const check of report.checks) {
    const parts = [icons[check.status], checkName(check.id, t)];
    if (check.status !== 'pass') parts.push(t(`probe:status.${check.status}`));
    if (check.code && codePattern.test(check.code)) parts.push(check.code);
    if (check.status !== 'skip') parts.push(`${Math.round(check.ms)} ms`);
    const line = hosts.get(check.host) ?? [];
    line.push(parts.join(' '));
    hosts.set(check.host, line);
  }
  return [...hosts].map(([host, checks]) => ({ host: plainHost(host), checks: checks.join(' · ') }));
}

/**
 * A report's findings worth a sentence: for an unhealthy report problems (the top cause's first), then notices,
 * then what works; for a healthy one what works first.
 */
function rankedFindings(report: ProbeReport): Finding[] {
  const top = report.causes[0]?.id ?? null;
  const order = report.verdict === 'healthy' ? { ok: 0, problem: 1, notice: 2 } : severityOrder;
  const seen = new Set<string>();
  return (report.findings ?? [])
    .filter((f) => {
      const key = `${f.id} ${f.host ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((finding, index) => ({ finding, index, severity: order[findingSeverity(finding.id)] }))
    .sort(
      (a, b) =>
        a.severity - b.severity ||
        Number(b.finding.cause === top && top !== null) - Number(a.finding.cause === top && top !== null) ||
        a.index - b.index,
    )
    .map((f) => f.finding);
}

function reportLines(report: ProbeReport, locale: Locale, max: number): EvidenceLine[] {
  const t = translator(locale);
  const findings = rankedFindings(report);
  if (!findings.length) {
    // The report's summary is English (CONTRACT.md §2); the card says it in its own language.
    return [
      report.verdict === 'healthy'
        ? { text: t('probe:summary.healthy', { host: report.target.loginServer }), evidence: '' }
        : { text: t('probe-card:noFindings'), evidence: clip(report.summary, probeCardLimits.evidence) },
    ];
  }
  return findings.slice(0, max).map((f) => ({
    text: renderFinding(f, locale),
    evidence: clip(f.evidence, probeCardLimits.evidence),
  }));
}

function runnerLabel(kind: RunnerKind, name: string, reported: string | null, t: Translate): string {
  const what = kind === 'local' ? t('runners:names.local') : t(`probe-card:runner.${kind}`);
  return reported && reported !== name
    ? `${what} · ${t('probe-card:runner.reportsAs', { name: reported })}`
    : what;
}

function runnerSection(
  runner: ProbeRecord['runners'][number],
  locale: Locale,
  t: Translate,
  detail: Detail,
): RunnerSection {
  const { name, kind, outcome } = runner;
  const base = { title: name, cause: '', hosts: [] as HostChecks[] };
  switch (outcome.state) {
    case 'pending':
      return {
        ...base,
        label: runnerLabel(kind, name, null, t),
        state: t('probe-card:state.pending'),
        color: 'Accent',
        lines: [{ text: t('runners:pending', { runner: name }), evidence: '' }],
      };
    case 'failed':
      return {
        ...base,
        label: runnerLabel(kind, name, null, t),
        state: t(`probe-card:state.${outcome.kind}`),
        color: 'Warning',
        lines: [
          {
            text: t(`runners:error.${outcome.kind}`, { runner: name }),
            evidence: clip(outcome.detail, probeCardLimits.evidence),
          },
        ],
      };
    case 'reported': {
      const { report } = outcome;
      const top = report.verdict === 'unhealthy' ? report.causes[0] : undefined;
      return {
        ...base,
        label: runnerLabel(kind, name, report.runner.name, t),
        state: t(`probe:verdict.${report.verdict}`),
        color: report.verdict === 'healthy' ? 'Good' : 'Attention',
        cause: top ? t('probe-card:runner.cause', { cause: causeText(top.id, locale).title }) : '',
        lines: reportLines(report, locale, detail.lines),
        hosts:
          detail.checks === 'all' || (detail.checks === 'unhealthy' && report.verdict === 'unhealthy')
            ? hostChecks(report, t)
            : [],
      };
    }
  }
}

/** The headline: how many runners reported so far, or, once all did, who sees what. */
function status(record: ProbeRecord, t: Translate): { text: string; color: TextColor } {
  const settled = record.runners.filter((r) => r.outcome.state !== 'pending');
  if (record.finishedAt === null || settled.length < record.runners.length) {
    return {
      text:
        record.runners.length === 1
          ? t('probe-card:status.runningOne')
          : t('probe-card:status.running', { done: settled.length, count: record.runners.length }),
      color: 'Default',
    };
  }
  const groups = { healthy: [] as string[], unhealthy: [] as string[], failed: [] as string[] };
  for (const r of record.runners) {
    if (r.outcome.state === 'reported') groups[r.outcome.report.verdict].push(r.name);
    else groups.failed.push(r.name);
  }
  const text = (['healthy', 'unhealthy', 'failed'] as const)
    .filter((g) => groups[g].length)
    .map((g) => t(`probe-card:status.${g}`, { runners: groups[g].join(', ') }))
    .join(' · ');
  const color = groups.unhealthy.length ? 'Attention' : groups.failed.length ? 'Warning' : 'Good';
  return { text, color };
}

const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * What the probe found, as the diagnosis a paste would give: the cause that explains a difference between
 * runners first (else the causes the unhealthy runners name, summed), the symptom a client would show for it,
 * the runner's evidence, and the client address the registry reported. Null when every runner is healthy.
 */
export function probeDiagnosis(record: ProbeRecord, comparisons: readonly Comparison[]): Diagnosis | null {
  const unhealthy = reportsOf(record).filter((r) => r.report.verdict === 'unhealthy');
  if (!unhealthy.length) return null;
  const scores = new Map<CauseId, number>();
  for (const { report } of unhealthy)
    for (const c of report.causes) scores.set(c.id, (scores.get(c.id) ?? 0) + c.score);
  const explained = comparisons.find((c) => c.cause !== null);
  if (explained?.cause) scores.set(explained.cause, (scores.get(explained.cause) ?? 0) + unhealthy.length);
  const total = [...scores.values()].reduce((sum, s) => sum + s, 0);
  const causes: CauseScore[] = [...scores.entries()]
    .map(([id, score]) => ({ id, score: round(score / total) }))
    .sort((a, b) => b.score - a.score);
  const top = causes[0];
  if (!top) return null;

  const findings = unhealthy.flatMap(({ runner, report }) =>
    (report.findings ?? []).map((f) => ({ runner, f })),
  );
  const named = findings.find(({ f }) => f.cause === top.id && findingSeverity(f.id) === 'problem');
  // Evidence is data (check, host, status, code), never a sentence: the card it goes to may be in any language.
  const anyProblem = findings.find(({ f }) => findingSeverity(f.id) === 'problem') ?? findings[0];
  let symptom: SymptomId = causeSymptoms[top.id];
  let evidence = anyProblem
    ? `${anyProblem.runner}: ${anyProblem.f.evidence}`
    : `${unhealthy[0]?.runner}: ${unhealthy[0]?.report.verdict}`;
  const table: Partial<Record<string, SymptomId>> = probeSymptoms;
  if (explained && explained.cause === top.id) {
    symptom = table[explained.id] ?? symptom;
    evidence = explained.evidence;
  } else if (named) {
    symptom = table[named.f.id] ?? symptom;
    evidence = `${named.runner}: ${named.f.evidence}`;
  }
  const denied = findings.find(({ f }) => f.id === 'acr-denied')?.f.params.clientIp;
  const regions = [
    ...new Set([
      ...record.regions,
      ...unhealthy.flatMap(({ report }) =>
        report.target.dataEndpoints.flatMap((h) => classifyHost(h)?.region ?? []),
      ),
    ]),
  ];
  return {
    verdict: 'network',
    kind: null,
    registry: parseRegistry(record.registry, regions),
    symptoms: [{ id: symptom, score: 1, evidence: clip(evidence) }],
    causes,
    facts: {
      regions,
      clientIp: typeof denied === 'string' && isIP(denied) ? denied : null,
      ips: [],
      ports: [],
      statusCodes: [],
      otherHosts: [],
      kindEvidence: null,
    },
  };
}

/**
 * The card of a live probe in a language: the headline, what differs between runners, each runner's verdict,
 * cause, findings with evidence and checks; buttons to run it again, open the fix for the top cause, list the
 * hosts to allow, and switch language.
 */
export function renderProbe(record: ProbeRecord, locale: Locale): Card {
  const t = translator(locale);
  const registry = parseRegistry(record.registry, record.regions);
  const comparisons = compareReports(reportsOf(record));
  const done = record.finishedAt !== null;
  const diagnosis = done ? probeDiagnosis(record, comparisons) : null;
  const buttons: Button[] = [];
  if (done) {
    buttons.push({
      title: t('probe-card:buttons.rerun'),
      verb: verbs.probe,
      data: { registry: record.registry, regions: record.regions, locale },
    });
  }
  if (diagnosis) {
    buttons.push({
      title: t('probe-card:buttons.fix'),
      verb: verbs.show,
      data: { locale, card: viewData({ view: 'diagnosis', diagnosis, from: 'probe' }) },
    });
  }
  buttons.push({
    title: t('probe-card:buttons.checklist'),
    verb: verbs.show,
    data: { locale, card: viewData({ view: 'registry', registry, regions: record.regions }) },
  });
  for (const other of supportedLocales.filter((l) => l !== locale)) {
    buttons.push({
      title: translator(other)(`common:language.${other}`),
      verb: verbs.probeShow,
      data: { probe: record.id, locale: other },
    });
  }
  const headline = status(record, t);
  // Differences that point at a cause before those that only explain (stable within each group).
  const ranked = [...comparisons].sort((a, b) => Number(b.cause !== null) - Number(a.cause !== null));
  let card: Card | null = null;
  for (const detail of detailLevels) {
    card = probeCard(
      {
        registry: record.registry,
        status: headline.text,
        statusColor: headline.color,
        comparisons: ranked.slice(0, detail.comparisons).map((c) => ({
          text: renderComparison(c, locale),
          evidence: clip(c.evidence, probeCardLimits.evidence),
        })),
        runners: record.runners.map((r) => runnerSection(r, locale, t, detail)),
        buttons,
      },
      t,
    );
    if (Buffer.byteLength(JSON.stringify(card)) <= probeCardBudgetBytes) break;
  }
  return card as Card;
}
