import type { Link } from '../advice';
import type { Translate } from '../i18n';
import { bind, buttonViews, linkList, type Button, type Card } from './bind';

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

/** Binds `cards/not-network.json`. */
export function notNetworkCard(model: NotNetworkModel, t: Translate): Card {
  return bind('not-network', {
    heading: model.registry
      ? t('cards:diagnosis.headingFor', { registry: model.registry })
      : t('cards:diagnosis.heading'),
    title: model.title,
    text: model.text,
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
