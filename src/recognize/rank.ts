/**
 * Turns rule hits and extracted facts into a Diagnosis: which side of the failure each matched line is
 * about (an Azure registry or another one), the verdict, symptom scores with evidence, and causes ranked
 * from the catalogue's symptom → cause weights, refined by hints and facts.
 *
 * A line is about an Azure registry when it names one (a login server, a data endpoint, a masked or
 * private-link name, ACR storage); about another registry when it names only others; a line naming no
 * registry counts for Azure unless the paste names only other registries. Verdict rules, in order:
 * 1. An error string (specific, or a tool's generic report) about an Azure registry with weight ≥
 *    `strongErrorWeight` → `network`: an ACR network failure beats auth, not-found and rate-limit
 *    lines in the same paste.
 * 2. Otherwise a not-network kind about an Azure registry (auth, not-found; a rate limit from anywhere) →
 *    `not-network` with the strongest kind (ties go to the more specific kind, `kindPriority`), the line
 *    that showed it as `facts.kindEvidence`.
 * 3. Otherwise weaker error strings about an Azure registry → `network`.
 * 4. Otherwise network evidence, a sign-in failure or a missing image only about other registries →
 *    `not-network`, `other-registry`, its line as `facts.kindEvidence`.
 * 5. Otherwise a situation without an error string (a kubelet back-off, a plain-language description)
 *    scoring ≥ `minVerdictScore` → `network`.
 * 6. Otherwise `unrecognized`.
 * Only `network` verdicts list symptoms and causes: the symptoms are ACR network symptoms.
 */
import {
  hints,
  kindPriority,
  type Hint,
  type HintId,
  type KindRule,
  type SymptomRule,
} from '../catalogue/signatures';
import { symptoms as symptomTable } from '../catalogue/symptoms';
import {
  causeIds,
  symptomIds,
  type CauseId,
  type CauseScore,
  type Diagnosis,
  type NotNetworkKind,
  type PasteFacts,
  type Registry,
  type SymptomId,
  type SymptomMatch,
} from '../contract';
import { imageParts, isDockerHub } from './images';
import {
  dataEndpointsOf,
  isPrivateIpv4,
  lineContext,
  scanHosts,
  type Extraction,
  type LineContext,
  type TextLines,
} from './extract';
import type { LineRef, RuleHit } from './match';

/** Below this, a symptom alone does not make a verdict (it may still accompany a stronger one). */
export const minVerdictScore = 0.5;
/** An error string at least this sure wins over not-network findings in the same paste. */
export const strongErrorWeight = 0.6;
/** Causes with a smaller share are left out. */
const minCauseShare = 0.05;
/** Evidence longer than this is cut around the matching text. */
export const maxEvidenceLength = 300;

type Side = 'acr' | 'other';

interface Evidence {
  rule: SymptomRule;
  refs: LineRef[];
}

interface Scored extends SymptomMatch {
  ref: LineRef;
  tier: number;
  /** Specific errors or wrappers (not only context) support it. */
  hasError: boolean;
  bestError: number;
}

const symptomOrder = new Map<SymptomId, number>(symptomIds.map((id, i) => [id, i]));
const causeOrder = new Map<CauseId, number>(causeIds.map((id, i) => [id, i]));
const causeWeights = new Map<SymptomId, Partial<Record<CauseId, number>>>(
  symptomTable.map((s) => [s.id, s.causes]),
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The line a ref points at, glued to the next one when the needle crossed a line break. */
function refText(lines: TextLines, ref: LineRef): string {
  const line = lines.line(ref.line);
  return ref.join === null ? line : `${line}${ref.join}${lines.line(ref.line + 1)}`;
}

/** The matched line, trimmed to a readable window around the matching text. */
export function evidenceText(lines: TextLines, ref: LineRef): string {
  const text = refText(lines, ref);
  const lead = text.length - text.trimStart().length;
  const body = text.trim();
  if (body.length <= maxEvidenceLength) return body;
  const needleStart = Math.max(0, ref.end - ref.needleLength - lead);
  let from = Math.max(0, needleStart - Math.floor((maxEvidenceLength - ref.needleLength) / 2));
  const to = Math.min(body.length, from + maxEvidenceLength);
  from = Math.max(0, to - maxEvidenceLength);
  return `${from > 0 ? '…' : ''}${body.slice(from, to).trim()}${to < body.length ? '…' : ''}`;
}

/** Evidence tiers: a specific error string, only a tool's generic failure report, only the situation. */
const tierOf = (e: Evidence): number => ({ error: 0, wrapper: 1, context: 2 })[e.rule.role];

function scoreSymptoms(evidence: Map<SymptomId, Evidence[]>, lines: TextLines): Scored[] {
  const scored: Scored[] = [];
  for (const [id, list] of evidence) {
    const sorted = [...list].sort((a, b) => tierOf(a) - tierOf(b) || b.rule.weight - a.rule.weight);
    // Specific errors on different lines add up; a weaker rule matching only lines a stronger one already
    // explains adds nothing. Wrappers and context count once, and only where they add a line.
    const covered = new Set<string>();
    const key = (r: LineRef): string => `${r.line}:${r.join ?? '-'}`;
    let missing = 1;
    let wrapperCounted = false;
    let contextCounted = false;
    for (const e of sorted) {
      const keys = e.refs.map(key);
      if (keys.every((k) => covered.has(k))) continue;
      if (e.rule.role === 'wrapper') {
        if (wrapperCounted) continue;
        wrapperCounted = true;
      }
      if (e.rule.role === 'context') {
        if (contextCounted) continue;
        contextCounted = true;
      }
      missing *= 1 - e.rule.weight;
      for (const k of keys) covered.add(k);
    }
    const strongest = sorted[0];
    const ref = strongest?.refs[0];
    if (!strongest || !ref) continue;
    const failures = sorted.filter((e) => e.rule.role !== 'context');
    scored.push({
      id,
      score: round(Math.min(0.99, 1 - missing)),
      evidence: evidenceText(lines, ref),
      ref,
      tier: tierOf(strongest),
      hasError: failures.length > 0,
      bestError: Math.max(0, ...failures.map((e) => e.rule.weight)),
    });
  }
  // Best first: the most specific evidence, then the highest score, then catalogue order.
  return scored.sort(
    (a, b) =>
      a.tier - b.tier || b.score - a.score || (symptomOrder.get(a.id) ?? 0) - (symptomOrder.get(b.id) ?? 0),
  );
}

function rankCauses(symptoms: readonly Scored[], active: ReadonlySet<HintId>): CauseScore[] {
  const raw = new Map<CauseId, number>();
  for (const s of symptoms) {
    for (const [cause, weight] of Object.entries(causeWeights.get(s.id) ?? {}) as [CauseId, number][]) {
      raw.set(cause, (raw.get(cause) ?? 0) + s.score * weight);
    }
  }
  for (const hint of hints as readonly Hint[]) {
    if (!active.has(hint.id) || hint.unless?.some((id) => active.has(id))) continue;
    for (const [cause, boost] of Object.entries(hint.boost) as [CauseId, number][]) {
      const value = raw.get(cause);
      if (value) raw.set(cause, value * (1 + boost));
    }
  }
  const total = [...raw.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return [];
  const kept = [...raw.entries()].filter(([, v]) => v / total >= minCauseShare);
  const keptTotal = kept.reduce((a, [, v]) => a + v, 0);
  const shares = kept
    .map(([id, v]) => ({ id, share: (v / keptTotal) * 100 }))
    .sort((a, b) => b.share - a.share || (causeOrder.get(a.id) ?? 0) - (causeOrder.get(b.id) ?? 0));
  // Largest remainder: hundredths that add up to exactly 1 and keep the order.
  const floors = shares.map((s) => Math.floor(s.share));
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const byRemainder = shares
    .map((s, i) => ({ i, rest: s.share - (floors[i] ?? 0) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return shares.map((s, i) => ({ id: s.id, score: (floors[i] ?? 0) / 100 }));
}

/** A not-network kind's strongest rule weight and the line that rule matched first. */
interface KindEvidence {
  weight: number;
  ref: LineRef;
}

function bestKind(found: Map<NotNetworkKind, KindEvidence>): { kind: NotNetworkKind; ref: LineRef } | null {
  let best: { kind: NotNetworkKind; ref: LineRef } | null = null;
  let bestWeight = 0;
  for (const kind of kindPriority) {
    const evidence = found.get(kind);
    if (evidence && evidence.weight > bestWeight) {
      best = { kind, ref: evidence.ref };
      bestWeight = evidence.weight;
    }
  }
  return best;
}

function chooseRegistry(extraction: Extraction, evidenceLine: string | null): Registry | null {
  const candidates = extraction.registries;
  if (!candidates.length) return null;
  const onEvidence = evidenceLine
    ? new Set(scanHosts(evidenceLine).flatMap((m) => (m.registry ? [m.registry.loginServer] : [])))
    : new Set<string>();
  const pick =
    candidates.find((c) => onEvidence.has(c.host.loginServer)) ??
    candidates.reduce((best, c) => (c.count > best.count ? c : best));
  return {
    name: pick.host.name,
    loginServer: pick.host.loginServer,
    dataEndpoints: dataEndpointsOf(pick.host, pick.regions),
  };
}

/**
 * The diagnosis of normalized, redacted `lines` from the rules that matched them and the facts found in
 * them. Shaped exactly as CONTRACT.md §2, with `facts`.
 */
export function rank(lines: TextLines, hits: readonly RuleHit[], extraction: Extraction): Diagnosis {
  const contexts = new Map<string, LineContext>();
  const contextOf = (ref: LineRef): LineContext => {
    const key = `${ref.line}:${ref.join ?? '-'}`;
    let context = contexts.get(key);
    if (!context) {
      context = lineContext(refText(lines, ref));
      contexts.set(key, context);
    }
    return context;
  };
  const neutralSide: Side = extraction.hasAcr || !extraction.hasOther ? 'acr' : 'other';
  const sideOf = (ref: LineRef): Side => {
    const context = contextOf(ref);
    if (context.acr) return 'acr';
    return context.otherHosts.length ? 'other' : neutralSide;
  };

  const bySide: Record<Side, Map<SymptomId, Evidence[]>> = { acr: new Map(), other: new Map() };
  const kinds = new Map<NotNetworkKind, KindEvidence>();
  let otherKind: KindEvidence | null = null;
  const active = new Set<HintId>();
  for (const { rule } of hits) if (rule.hint) active.add(rule.hint);
  // A connection to a private address, or a private endpoint named: "unreachable" is the endpoint's path.
  const privatePath = extraction.privateIps.length > 0 || active.has('private-endpoint');
  const stronger = (known: KindEvidence | null | undefined, weight: number, ref: LineRef): boolean =>
    !known || weight > known.weight || (weight === known.weight && ref.line < known.ref.line);
  let dataPath = false;
  for (const { rule, refs } of hits) {
    if (rule.hint) continue;
    if (rule.kind) {
      const kindRule: KindRule = rule;
      // Another registry's sign-in or missing image is that registry's affair; a rate limit is one anywhere.
      const acrRefs = kindRule.kind === 'rate-limit' ? refs : refs.filter((ref) => sideOf(ref) === 'acr');
      const [ref] = acrRefs;
      // The strongest rule's first line shows the kind; between equally strong rules, the earlier line.
      if (ref && stronger(kinds.get(kindRule.kind), kindRule.weight, ref)) {
        kinds.set(kindRule.kind, { weight: kindRule.weight, ref });
      }
      const [otherRef] = refs;
      if (!ref && otherRef && stronger(otherKind, kindRule.weight, otherRef)) {
        otherKind = { weight: kindRule.weight, ref: otherRef };
      }
      continue;
    }
    const symptomRule: SymptomRule = rule;
    const symptom = (privatePath && symptomRule.privateSymptom) || symptomRule.symptom;
    for (const side of ['acr', 'other'] as const) {
      const sideRefs = refs.filter((ref) => sideOf(ref) === side);
      if (!sideRefs.length) continue;
      const list = bySide[side].get(symptom) ?? [];
      list.push({ rule: symptomRule, refs: sideRefs });
      bySide[side].set(symptom, list);
      if (
        side === 'acr' &&
        symptomRule.role !== 'context' &&
        sideRefs.some((ref) => contextOf(ref).dataPath)
      ) {
        dataPath = true;
      }
    }
  }

  if (extraction.privateIps.length) active.add('private-ip');
  if (extraction.privateDnsServers.length) active.add('private-dns-server');
  if (extraction.privateLink && (extraction.publicFrontend || extraction.publicIps.length > 0))
    active.add('private-dns-public');
  const clientIp = extraction.facts.clientIp;
  if (clientIp) active.add(!isPrivateIpv4(clientIp) ? 'client-ip-public' : 'client-ip-private');
  if (dataPath) active.add('data-path');

  const acrSymptoms = scoreSymptoms(bySide.acr, lines);
  const found = new Set(acrSymptoms.map((s) => s.id));
  for (const hint of hints as readonly Hint[]) {
    if (hint.source === 'symptoms' && hint.symptoms?.every((id) => found.has(id))) active.add(hint.id);
  }
  const otherSymptoms = scoreSymptoms(bySide.other, lines);
  const kind = bestKind(kinds);
  const top = (list: Scored[]): number => Math.max(0, ...list.map((s) => s.score));
  const acrErrors = acrSymptoms.filter((s) => s.hasError);
  const strongest = Math.max(0, ...acrErrors.map((s) => s.bestError));
  const facts = (shown: LineRef | null, kindEvidence: string | null): PasteFacts => ({
    ...extraction.facts,
    kindEvidence,
    image: imageFor(extraction, shown),
  });

  const network = (): Diagnosis => {
    const shown = acrSymptoms[0]?.ref ?? null;
    return {
      verdict: 'network',
      kind: null,
      registry: chooseRegistry(extraction, shown ? refText(lines, shown) : null),
      symptoms: acrSymptoms.map(({ id, score, evidence }) => ({ id, score, evidence })),
      causes: rankCauses(acrSymptoms, active),
      facts: facts(shown, null),
    };
  };
  // `shown` is the line that showed the kind: it is kept as evidence and names the registry first. The
  // symptoms are those of ACR network problems, so a not-network verdict has none.
  const notNetwork = (k: NotNetworkKind, shown: LineRef): Diagnosis => ({
    verdict: 'not-network',
    kind: k,
    registry: chooseRegistry(extraction, refText(lines, shown)),
    symptoms: [],
    causes: [],
    facts: facts(shown, evidenceText(lines, shown)),
  });
  // Another registry's failure: its most specific network error, else its sign-in or missing-image line.
  const otherLine = (): LineRef | null => {
    const [otherTop] = otherSymptoms;
    const network = otherTop && top(otherSymptoms) >= minVerdictScore ? otherTop : null;
    if (network && network.tier === 0) return network.ref;
    return otherKind?.ref ?? network?.ref ?? null;
  };

  if (strongest >= strongErrorWeight && top(acrSymptoms) >= minVerdictScore) return network();
  if (kind) return notNetwork(kind.kind, kind.ref);
  if (acrErrors.length && top(acrSymptoms) >= minVerdictScore) return network();
  const other = otherLine();
  if (other) return notNetwork('other-registry', other);
  if (top(acrSymptoms) >= minVerdictScore) return network();
  return {
    verdict: 'unrecognized',
    kind: null,
    registry: chooseRegistry(extraction, null),
    symptoms: [],
    causes: [],
    facts: facts(null, null),
  };
}

/** Docker Hub under whichever of its names; other hosts as they are. */
function registryOf(host: string | null): string {
  if (isDockerHub(host) || host?.endsWith('.docker.io') || host?.endsWith('.docker.com')) return 'docker.io';
  return host ?? 'docker.io';
}

/**
 * The image the failure is about: one on the line that showed it, else one from a failing other registry,
 * else the first the paste names (`docker pull redis:7.2` above a bare `toomanyrequests`).
 */
function imageFor(extraction: Extraction, shown: LineRef | null): string | null {
  const { images } = extraction;
  if (shown) {
    const onLine = images.find(
      (i) => i.line === shown.line || (shown.join !== null && i.line === shown.line + 1),
    );
    if (onLine) return onLine.ref;
  }
  const failing = new Set(extraction.facts.otherHosts.map(registryOf));
  const fromFailing = images.find((i) => failing.has(registryOf(imageParts(i.ref)?.host ?? null)));
  return (fromFailing ?? images[0])?.ref ?? null;
}
