import {
  adviceFocus,
  causeText,
  endpointsToAllow,
  furtherDiagnosis,
  notNetworkAdvice,
  solutionFor,
  symptomText,
  unrecognizedAdvice,
  type AdviceInput,
} from '../advice';
import type { Button, Card } from '../cards/bind';
import { diagnosisCard } from '../cards/diagnosis';
import { errorCard, type ErrorKind } from '../cards/error';
import { helpCard } from '../cards/help';
import { notNetworkCard } from '../cards/not-network';
import { registryCard } from '../cards/registry';
import { unrecognizedCard } from '../cards/unrecognized';
import { symptoms as symptomTable } from '../catalogue/symptoms';
import type { CauseId, CauseScore, Diagnosis, Registry } from '../contract';
import { isAcrcheckError, refusalMessage, type ErrorCode } from '../errors';
import { classifyHost } from '../target';
import { supportedLocales, translator, type Locale } from '../i18n';
import { commands, maxRegions } from './commands';
import { verbs } from './verbs';

/** Everything the bot can show, as plain data: a card is always `render(view, locale)`. */
export type View =
  | {
      view: 'diagnosis';
      diagnosis: Diagnosis;
      focus?: CauseId;
      /** `probe`: the diagnosis is what a live probe found, so its evidence is what the probe saw. */
      from?: 'probe';
    }
  | { view: 'registry'; registry: Registry; regions: string[] }
  | { view: 'help'; welcome: boolean };

/** Longest evidence line a card shows (the recognizer's line is usually far shorter). */
export const maxEvidence = 400;

/** Cuts text to `max` characters, marking the cut. */
export function clip(text: string, max = maxEvidence): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What a view looks like inside a button's data, so a click can show the same view again. */
export function viewData(view: View): Record<string, unknown> {
  switch (view.view) {
    case 'help':
      return { view: 'help', welcome: view.welcome };
    case 'registry':
      return { view: 'registry', registry: view.registry.loginServer, regions: view.regions };
    case 'diagnosis': {
      const d = view.diagnosis;
      return {
        view: 'diagnosis',
        ...(view.focus ? { focus: view.focus } : {}),
        ...(view.from ? { from: view.from } : {}),
        verdict: d.verdict,
        kind: d.kind,
        registry: d.registry?.loginServer ?? null,
        dataEndpoints: d.registry?.dataEndpoints ?? [],
        regions: d.facts?.regions ?? [],
        clientIp: d.facts?.clientIp ?? null,
        ...(d.facts?.image ? { image: d.facts.image } : {}),
        ...(d.facts?.regionalEndpoints?.length ? { regionalEndpoints: d.facts.regionalEndpoints } : {}),
        // Only a not-network card has it; a diagnosis card's many buttons stay small (Teams' 28 KB).
        ...(d.verdict === 'not-network' && d.facts?.kindEvidence
          ? { kindEvidence: clip(d.facts.kindEvidence) }
          : {}),
        symptoms: d.symptoms.map((s) => ({ id: s.id, score: s.score, evidence: clip(s.evidence) })),
        causes: d.causes.map((c) => ({ id: c.id, score: c.score })),
      };
    }
  }
}

/** "Show in …" buttons for the two other languages, titled in their own language. */
function languageButtons(view: View, locale: Locale): Button[] {
  return supportedLocales
    .filter((l) => l !== locale)
    .map((l) => ({
      title: translator(l)(`common:language.${l}`),
      verb: verbs.translate,
      data: { locale: l, card: viewData(view) },
    }));
}

function exampleButton(locale: Locale): Button {
  return { title: translator(locale)('cards:buttons.example'), verb: verbs.example, data: { locale } };
}

/** What the advice is bound to: as `acrcheck diagnose` binds it, so a card and the report give the same fix. */
function adviceInput(diagnosis: Diagnosis): AdviceInput {
  return {
    registry: diagnosis.registry,
    regions: diagnosis.facts?.regions ?? [],
    clientIp: diagnosis.facts?.clientIp ?? null,
    symptom: diagnosis.symptoms[0] ?? null,
    image: diagnosis.facts?.image ?? null,
    regionalEndpoints: diagnosis.facts?.regionalEndpoints ?? [],
  };
}

/** The recognizer's causes, or, when it gave none, the catalogue's weights for the top symptom. */
export function rankedCauses(diagnosis: Diagnosis): CauseScore[] {
  if (diagnosis.causes.length) return diagnosis.causes;
  const top = symptomTable.find((s) => s.id === diagnosis.symptoms[0]?.id);
  return Object.entries(top?.causes ?? {})
    .map(([id, score]) => ({ id: id as CauseId, score: score as number }))
    .sort((a, b) => b.score - a.score);
}

/**
 * The diagnosis with at most `maxRegions` regions (the registry's data endpoints first, then the regions the
 * paste names), so that a paste naming every region still gives a card Teams accepts.
 */
function withinLimits(diagnosis: Diagnosis): Diagnosis {
  const endpointRegions = (diagnosis.registry?.dataEndpoints ?? []).map((h) => classifyHost(h)?.region ?? '');
  const regions = [
    ...new Set([...endpointRegions, ...(diagnosis.facts?.regions ?? [])].filter(Boolean)),
  ].slice(0, maxRegions);
  return {
    ...diagnosis,
    registry: diagnosis.registry && {
      ...diagnosis.registry,
      dataEndpoints: diagnosis.registry.dataEndpoints.filter((_, i) =>
        regions.includes(endpointRegions[i] ?? ''),
      ),
    },
    facts: diagnosis.facts && {
      ...diagnosis.facts,
      regions: diagnosis.facts.regions.filter((r) => regions.includes(r)),
    },
  };
}

function renderDiagnosis(
  given: Extract<View, { view: 'diagnosis' }>,
  locale: Locale,
  options: RenderOptions,
): Card {
  const t = translator(locale);
  const view = { ...given, diagnosis: withinLimits(given.diagnosis) };
  const { diagnosis } = view;
  const input = adviceInput(diagnosis);
  const registry = diagnosis.registry?.loginServer ?? null;
  const [top, ...more] = diagnosis.symptoms;
  const buttons = languageButtons(view, locale);

  if (diagnosis.verdict === 'not-network' && diagnosis.kind) {
    const advice = notNetworkAdvice(diagnosis.kind, input, locale);
    const evidence = diagnosis.facts?.kindEvidence ?? top?.evidence ?? '';
    return notNetworkCard({ registry, ...advice, evidence: clip(evidence), buttons }, t);
  }
  const ranked = rankedCauses(diagnosis);
  const [first] = ranked;
  if (diagnosis.verdict !== 'network' || !top || !first) {
    return unrecognizedCard(
      { ...unrecognizedAdvice(locale), buttons: [exampleButton(locale), ...buttons] },
      t,
    );
  }
  if (options.probe && diagnosis.registry) {
    const regions = diagnosis.registry.dataEndpoints.flatMap((h) => classifyHost(h)?.region ?? []);
    buttons.unshift(
      probeButton(diagnosis.registry, [...new Set([...regions, ...input.regions])], locale, true),
    );
  }
  const open = ranked.find((c) => c.id === view.focus) ?? first;
  const focus = adviceFocus(top);
  const others = ranked.filter((c) => c !== open);
  const solution = solutionFor(open.id, input, locale);
  const unfocused = viewData({ view: 'diagnosis', diagnosis, ...(view.from ? { from: view.from } : {}) });
  return diagnosisCard(
    {
      registry,
      symptom: { ...symptomText(top.id, locale), evidence: clip(top.evidence) },
      fromProbe: view.from === 'probe',
      alsoSeen: more.map((s) => symptomText(s.id, locale).title),
      causes: [
        {
          id: open.id,
          ...causeText(open.id, locale, focus),
          score: open.score,
          steps: solution.steps,
          links: solution.links,
        },
        ...others.map((c) => ({
          id: c.id,
          ...causeText(c.id, locale, focus),
          score: c.score,
          steps: [],
          links: [],
        })),
      ],
      picked: open !== first,
      showFix: others.length
        ? {
            title: t(others.length === 1 ? 'cards:diagnosis.showThisFix' : 'cards:diagnosis.showFix'),
            verb: verbs.focus,
            // With one other cause the button names it; with more, the card's chooser adds `cause`.
            data: { locale, card: unfocused, ...(others.length === 1 ? { cause: others[0]?.id } : {}) },
          }
        : null,
      endpoints: endpointsToAllow(input),
      further: furtherDiagnosis(input, locale),
      buttons,
    },
    t,
  );
}

/** What a card may offer besides its content. */
export interface RenderOptions {
  /** Live probes are configured: registry cards and diagnosis cards naming a registry get a probe button. */
  probe?: boolean;
}

/**
 * The button that starts a live probe of `registry` (with the data endpoints of `regions`), whose card speaks the
 * language of the card it is on. `keep`: the probe
 * gets a card of its own below the clicked one (a diagnosis stays readable), instead of taking its place.
 */
export function probeButton(
  registry: Registry,
  regions: readonly string[],
  locale: Locale,
  keep = false,
): Button {
  return {
    title: translator(locale)('probe-card:buttons.run'),
    verb: verbs.probe,
    data: {
      registry: registry.loginServer,
      regions: regions.slice(0, maxRegions),
      locale,
      ...(keep ? { keep: true } : {}),
    },
  };
}

/** Builds the card for a view in a language. */
export function render(view: View, locale: Locale, options: RenderOptions = {}): Card {
  const t = translator(locale);
  switch (view.view) {
    case 'diagnosis':
      return renderDiagnosis(view, locale, options);
    case 'registry': {
      const input: AdviceInput = { registry: view.registry, regions: view.regions, clientIp: null };
      return registryCard(
        {
          registry: view.registry.loginServer,
          regions: view.regions,
          endpoints: endpointsToAllow(input),
          further: furtherDiagnosis(input, locale),
          buttons: [
            ...(options.probe ? [probeButton(view.registry, view.regions, locale)] : []),
            ...languageButtons(view, locale),
          ],
        },
        t,
      );
    }
    case 'help':
      return helpCard(
        {
          welcome: view.welcome,
          example: unrecognizedAdvice(locale).example,
          commands: commands.map((c) => ({ usage: c.usage, key: c.name })),
          buttons: [exampleButton(locale), ...languageButtons(view, locale)],
        },
        t,
      );
  }
}

/**
 * The one place a failure becomes what the user sees: a refusal (`AcrcheckError`) in its own words,
 * anything else as an internal error (logged by the caller).
 */
export function renderError(err: unknown, locale: Locale): Card {
  const t = translator(locale);
  let kind: ErrorKind = 'internal';
  let message = t('bot:internalError');
  if (isAcrcheckError(err)) {
    const kinds: Partial<Record<ErrorCode, ErrorKind>> = {
      ACRCHECK_NOT_ACR_HOST: 'registry',
      ACRCHECK_INPUT_TOO_LARGE: 'too-large',
      ACRCHECK_BAD_ACTION: 'bad-action',
    };
    kind = kinds[err.code] ?? kind;
    message = refusalMessage(err, locale);
  }
  return errorCard({ kind, message }, t);
}
