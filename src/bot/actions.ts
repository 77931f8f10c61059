import { isIP } from 'node:net';

import { unrecognizedAdvice } from '../advice';
import type { Card } from '../cards/bind';
import {
  causeIds,
  notNetworkKinds,
  symptomIds,
  verdicts,
  type CauseScore,
  type Diagnosis,
  type NotNetworkKind,
  type SymptomMatch,
  type Verdict,
} from '../contract';
import { AcrcheckError, isAcrcheckError } from '../errors';
import { supportedLocales, type Locale } from '../i18n';
import { recognize } from '../recognize';
import { imageParts } from '../recognize/images';
import { classifyHost, isRegionName, parseRegistry } from '../target';
import { maxRegions } from './commands';
import type { ProbeRequest } from './probes';
import { rankedCauses, render, renderError, type RenderOptions, type View } from './views';
import { verbs, type Verb } from './verbs';

/** What a card button produced: a card that replaces the clicked one, or a new message. */
export interface ActionReply {
  card: Card;
  placement: 'replace' | 'new';
}

/** A click on a card button, from an `Action.Execute` invoke or an `Action.Submit` message. */
export interface ActionInput {
  /** The invoke's `action.verb`; null for `Action.Submit`, whose verb is inside the data. */
  verb: string | null;
  data: unknown;
  /** The clicking user's language. */
  locale: Locale;
}

type Data = Record<string, unknown>;

/** What a click asks for: a card to show, or a live probe to start or show (the probe dispatcher answers it). */
export type ActionOutcome = ActionReply | { probe: ProbeRequest };

/** One card action: its verb and what it does with the (validated) data. */
interface CardAction {
  verb: Verb;
  run(data: Data, locale: Locale, options?: RenderOptions): ActionReply;
}

/** A card action about live probes: its verb and the request its (validated) data makes. */
interface ProbeAction {
  verb: Verb;
  request(data: Data): ProbeRequest;
}

function refuse(detail: string): never {
  throw new AcrcheckError('ACRCHECK_BAD_ACTION', `card action data refused: ${detail}`, { detail });
}

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) refuse(what);
  return value as T;
}

function list(value: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(value) || value.length > max) refuse(what);
  return value;
}

function score(value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) refuse('score');
  return value;
}

// Cards carry at most `maxRegions`; data naming more than this was not written by acrcheck.
const maxRegionsInData = 20;
const maxEvidenceInData = 1000;

/** A line of evidence from a card: text no longer than a card ever carries. */
function evidenceText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > maxEvidenceInData) refuse(what);
  return value;
}

/** An image reference from a card: one the recognizer could have found (it fills `az acr import`). */
function imageText(value: unknown): string {
  if (typeof value !== 'string' || imageParts(value) === null) refuse('image');
  return value;
}

function regionList(value: unknown): string[] {
  return list(value ?? [], maxRegionsInData, 'regions').map((r) => {
    if (typeof r !== 'string' || !isRegionName(r)) refuse('region');
    return r;
  });
}

/** A diagnosis as `viewData` wrote it, checked field by field; anything else is refused. */
function parseDiagnosis(data: Data): Diagnosis {
  const verdict: Verdict = oneOf(data.verdict, verdicts, 'verdict');
  const kind: NotNetworkKind | null =
    verdict === 'not-network'
      ? oneOf(data.kind, notNetworkKinds, 'kind')
      : data.kind === null
        ? null
        : refuse('kind');
  const symptoms: SymptomMatch[] = list(data.symptoms, symptomIds.length, 'symptoms').map((s) => {
    if (!isObject(s)) refuse('symptom');
    return {
      id: oneOf(s.id, symptomIds, 'symptom id'),
      score: score(s.score),
      evidence: evidenceText(s.evidence, 'symptom'),
    };
  });
  const causes: CauseScore[] = list(data.causes, causeIds.length, 'causes').map((c) => {
    if (!isObject(c)) refuse('cause');
    return { id: oneOf(c.id, causeIds, 'cause id'), score: score(c.score) };
  });
  const kindEvidence =
    data.kindEvidence === undefined || data.kindEvidence === null
      ? null
      : verdict === 'not-network'
        ? evidenceText(data.kindEvidence, 'kindEvidence')
        : refuse('kindEvidence');
  const regions = regionList(data.regions);
  const image = data.image === undefined ? null : imageText(data.image);
  const regionalEndpoints = list(data.regionalEndpoints ?? [], maxRegionsInData, 'regionalEndpoints').map(
    (h) => {
      if (typeof h !== 'string' || classifyHost(h)?.kind !== 'geo') refuse('regional endpoint');
      return h;
    },
  );
  const clientIp = data.clientIp === null || data.clientIp === undefined ? null : String(data.clientIp);
  if (clientIp !== null && !isIP(clientIp)) refuse('clientIp');
  let registry = null;
  if (data.registry !== null) {
    if (typeof data.registry !== 'string') refuse('registry');
    const endpointRegions = list(data.dataEndpoints ?? [], maxRegionsInData, 'dataEndpoints').map((h) => {
      const host = typeof h === 'string' ? classifyHost(h) : null;
      if (host?.kind !== 'data' || !host.region) refuse('data endpoint');
      return host.region;
    });
    registry = parseRegistry(data.registry, endpointRegions);
  }
  return {
    verdict,
    kind,
    registry,
    symptoms,
    causes,
    facts: {
      regions,
      clientIp,
      ips: [],
      ports: [],
      statusCodes: [],
      otherHosts: [],
      kindEvidence,
      image,
      regionalEndpoints,
    },
  };
}

/** The view a button's `card` data names (see `viewData`), validated like any other input. */
function parseView(data: unknown): View {
  if (!isObject(data)) refuse('card');
  try {
    switch (data.view) {
      case 'help':
        if (typeof data.welcome !== 'boolean') refuse('welcome');
        return { view: 'help', welcome: data.welcome };
      case 'registry': {
        if (typeof data.registry !== 'string') refuse('registry');
        const regions = regionList(data.regions);
        return { view: 'registry', registry: parseRegistry(data.registry, regions), regions };
      }
      case 'diagnosis': {
        const focus = data.focus === undefined ? undefined : oneOf(data.focus, causeIds, 'focus');
        const from = data.from === undefined ? undefined : oneOf(data.from, ['probe'] as const, 'from');
        return {
          view: 'diagnosis',
          diagnosis: parseDiagnosis(data),
          ...(focus ? { focus } : {}),
          ...(from ? { from } : {}),
        };
      }
      default:
        return refuse('view');
    }
  } catch (err) {
    // A registry that parseRegistry refuses came from a card, not from the user: a tampered button.
    if (isAcrcheckError(err) && err.code !== 'ACRCHECK_BAD_ACTION') refuse(err.message);
    throw err;
  }
}

/** Every card action, registered by listing. */
export const actions: readonly CardAction[] = [
  {
    verb: verbs.translate,
    run: (data, _locale, options) => {
      const locale = oneOf(data.locale, supportedLocales, 'locale');
      return { card: render(parseView(data.card), locale, options), placement: 'replace' };
    },
  },
  {
    verb: verbs.focus,
    run: (data, _locale, options) => {
      const locale = oneOf(data.locale, supportedLocales, 'locale');
      const view = parseView(data.card);
      if (view.view !== 'diagnosis') refuse('card');
      const focus = oneOf(
        data.cause,
        rankedCauses(view.diagnosis).map((c) => c.id),
        'cause',
      );
      return { card: render({ ...view, focus }, locale, options), placement: 'replace' };
    },
  },
  {
    verb: verbs.example,
    run: (data, _locale, options) => {
      const locale = oneOf(data.locale, supportedLocales, 'locale');
      const diagnosis = recognize(unrecognizedAdvice(locale).example);
      return { card: render({ view: 'diagnosis', diagnosis }, locale, options), placement: 'new' };
    },
  },
  {
    verb: verbs.show,
    run: (data, _locale, options) => {
      const locale = oneOf(data.locale, supportedLocales, 'locale');
      return { card: render(parseView(data.card), locale, options), placement: 'new' };
    },
  },
];

// What a probe button carries; a card may add its own inputs (the diagnosis card's cause chooser) to any button.
const probeFields: ReadonlySet<string> = new Set(['verb', 'registry', 'regions', 'locale', 'keep']);
const cardInputs: ReadonlySet<string> = new Set(['cause']);
const probeIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every live-probe action, registered by listing. Their data is checked as strictly as a typed command. */
export const probeActions: readonly ProbeAction[] = [
  {
    verb: verbs.probe,
    request: (data) => {
      const extra = Object.keys(data).find((key) => !probeFields.has(key) && !cardInputs.has(key));
      if (extra !== undefined) refuse(`unexpected field ${extra.slice(0, 40)}`);
      if (data.cause !== undefined) oneOf(data.cause, causeIds, 'cause');
      if (typeof data.registry !== 'string') refuse('registry');
      const regions = list(data.regions, maxRegions, 'regions').map((r) => {
        if (typeof r !== 'string' || !isRegionName(r)) refuse('region');
        return r;
      });
      const locale = data.locale === undefined ? undefined : oneOf(data.locale, supportedLocales, 'locale');
      if (data.keep !== undefined && data.keep !== true) refuse('keep');
      try {
        return {
          kind: 'run',
          registry: parseRegistry(data.registry, regions),
          ...(locale ? { locale } : {}),
          ...(data.keep === true ? { keep: true } : {}),
        };
      } catch (err) {
        if (isAcrcheckError(err)) refuse(err.message);
        throw err;
      }
    },
  },
  {
    verb: verbs.probeShow,
    request: (data) => {
      const locale = oneOf(data.locale, supportedLocales, 'locale');
      if (typeof data.probe !== 'string' || !probeIdPattern.test(data.probe)) refuse('probe');
      return { kind: 'show', id: data.probe, locale };
    },
  },
];

/**
 * The one handler for card buttons, whether they arrive as `Action.Execute` or as the `Action.Submit`
 * fallback. Data that is not what acrcheck sent gets an error card in place of the clicked one, and never
 * starts a probe.
 */
export function handleAction(input: ActionInput, options: RenderOptions = {}): ActionOutcome {
  try {
    const { data } = input;
    if (!isObject(data) || typeof data.verb !== 'string') refuse('no verb');
    if (input.verb !== null && input.verb !== data.verb) refuse('verb mismatch');
    const probe = probeActions.find((a) => a.verb === data.verb);
    if (probe) return { probe: probe.request(data) };
    const action = actions.find((a) => a.verb === data.verb);
    if (!action) refuse(`unknown verb ${data.verb.slice(0, 40)}`);
    return action.run(data, input.locale, options);
  } catch (err) {
    if (!isAcrcheckError(err)) throw err;
    return { card: renderError(err, input.locale), placement: 'replace' };
  }
}
