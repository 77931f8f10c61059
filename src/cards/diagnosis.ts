import type { Link, Step } from '../advice';
import type { CauseId } from '../contract';
import type { Translate } from '../i18n';
import { bind, buttonViews, linkList, stepViews, type Button, type Card } from './bind';

/** One ranked cause with its fix (the steps and links are shown for the open cause only). */
export interface CauseModel {
  id: CauseId;
  title: string;
  summary: string;
  /** The recognizer's score, 0–1; shown as a word, not a number. */
  score: number;
  steps: Step[];
  links: Link[];
}

/** What the diagnosis card shows: a network problem recognized in a paste. */
export interface DiagnosisModel {
  /** The registry's login server, or null when the paste named none. */
  registry: string | null;
  symptom: { title: string; description: string; evidence: string };
  /** True when the evidence is what a live probe saw rather than what the user's tool printed. */
  fromProbe: boolean;
  /** Titles of further symptoms found in the same paste. */
  alsoSeen: string[];
  /** The open cause first, then the others best first (behind a toggle, as title and summary). */
  causes: CauseModel[];
  /** True when the user picked the open cause; otherwise it is the recognizer's first. */
  picked: boolean;
  /** Opens another cause's fix: a button whose data gets `cause` from the card's chooser (or carries it). */
  showFix: Button | null;
  endpoints: string[];
  further: { title: string; steps: Step[]; links: Link[] };
  buttons: Button[];
}

/** The word for a cause's score: likely, possible, less likely. */
export function likelihood(score: number, t: Translate): string {
  const level = score >= 0.5 ? 'high' : score >= 0.25 ? 'medium' : 'low';
  return t(`cards:likelihood.${level}`);
}

function causeView(cause: CauseModel, t: Translate): object {
  return {
    id: cause.id,
    title: cause.title,
    summary: cause.summary,
    likelihood: likelihood(cause.score, t),
    steps: stepViews(cause.steps),
    links: linkList(cause.links),
  };
}

/** Binds `cards/diagnosis.json`. */
export function diagnosisCard(model: DiagnosisModel, t: Translate): Card {
  const [top, ...others] = model.causes;
  if (!top) throw new Error('a diagnosis card needs at least one cause');
  return bind('diagnosis', {
    heading: model.registry
      ? t('cards:diagnosis.headingFor', { registry: model.registry })
      : t('cards:diagnosis.heading'),
    symptom: model.symptom,
    alsoSeen: model.alsoSeen.length
      ? t('cards:diagnosis.alsoSeen', { symptoms: model.alsoSeen.join(' · ') })
      : '',
    top: causeView(top, t),
    others: others.map((c) => causeView(c, t)),
    endpoints: model.endpoints.join('\n'),
    further: {
      title: model.further.title,
      steps: stepViews(model.further.steps),
      links: linkList(model.further.links),
    },
    labels: {
      evidence: t(model.fromProbe ? 'cards:diagnosis.probeEvidence' : 'cards:diagnosis.evidence'),
      topCause: t(model.picked ? 'cards:diagnosis.pickedCause' : 'cards:diagnosis.topCause', {
        likelihood: likelihood(top.score, t),
      }),
      pickCause: t('cards:diagnosis.pickCause'),
      endpoints: t('cards:diagnosis.endpoints'),
      otherCauses: t('cards:diagnosis.otherCauses', { count: others.length }),
      moreChecks: t('cards:diagnosis.moreChecks'),
    },
    focusButtons: buttonViews(model.showFix ? [model.showFix] : []),
    buttons: buttonViews(model.buttons),
  });
}
