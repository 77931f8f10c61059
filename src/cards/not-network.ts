import type { Link, Step } from '../advice';
import type { Translate } from '../i18n';
import { bind, buttonViews, linkList, stepViews, type Button, type Card } from './bind';

/** What the not-network card shows: a recognized error that is not an ACR network problem. */
export interface NotNetworkModel {
  registry: string | null;
  title: string;
  /** Where to look instead (Teams Markdown: lists allowed). */
  text: string;
  /** The line that matched, redacted; empty when there is none. */
  evidence: string;
  links: Link[];
  buttons: Button[];
}

/**
 * Where a command starts in a line of advice: at its start, or after a colon (`Sign in again: az acr login …`,
 * `重新登入：az acr login …`).
 */
function commandAt(line: string): number {
  if (line.startsWith('az ')) return 0;
  const ascii = line.indexOf(': az ');
  if (ascii !== -1) return ascii + 2;
  const wide = line.indexOf('：az ');
  return wide === -1 ? -1 : wide + 1;
}

/**
 * The advice's text as a lead paragraph and list items, each `az` command taken out of its sentence into a block
 * a user can copy (Teams' Markdown has no inline code). The text is the catalogue's (`- ` items, one a line).
 */
export function adviceSteps(text: string): { lead: string; steps: Step[] } {
  const lead: string[] = [];
  const steps: Step[] = [];
  for (const line of text.split('\n')) {
    const item = line.startsWith('- ');
    const body = item ? line.slice(2) : line;
    const at = commandAt(body);
    const words = at === -1 ? body : body.slice(0, at).trimEnd();
    const commands = at === -1 ? [] : [body.slice(at)];
    if (!item && !steps.length) {
      if (words) lead.push(words);
      if (commands.length) steps.push({ text: '', commands });
    } else if (!item && !words && steps.length) {
      steps[steps.length - 1]?.commands.push(...commands);
    } else {
      steps.push({ text: words, commands });
    }
  }
  return { lead: lead.join('\n'), steps };
}

/** Binds `cards/not-network.json`. */
export function notNetworkCard(model: NotNetworkModel, t: Translate): Card {
  const { lead, steps } = adviceSteps(model.text);
  return bind('not-network', {
    heading: model.registry
      ? t('cards:diagnosis.headingFor', { registry: model.registry })
      : t('cards:diagnosis.heading'),
    title: model.title,
    text: lead,
    steps: stepViews(steps, 'bullet'),
    evidence: model.evidence,
    links: linkList(model.links),
    labels: {
      notNetwork: t('cards:notNetwork.lead'),
      evidence: t('cards:diagnosis.evidence'),
      links: t('cards:notNetwork.links'),
    },
    buttons: buttonViews(model.buttons),
  });
}
