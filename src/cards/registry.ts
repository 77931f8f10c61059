import type { Link, Step } from '../advice';
import type { Translate } from '../i18n';
import { bind, buttonViews, linkList, stepViews, type Button, type Card } from './bind';

/** What the registry card shows: the hosts to allow for one registry and the checks to run. */
export interface RegistryModel {
  /** The login server. */
  registry: string;
  /** The regions the user named; data endpoints are listed for these. */
  regions: string[];
  endpoints: string[];
  further: { title: string; steps: Step[]; links: Link[] };
  buttons: Button[];
}

/** Binds `cards/registry.json`. */
export function registryCard(model: RegistryModel, t: Translate): Card {
  return bind('registry', {
    heading: t('cards:registry.heading'),
    registry: model.registry,
    intro: t('cards:registry.intro'),
    endpoints: model.endpoints.join('\n'),
    endpointsNote: model.regions.length
      ? t('cards:registry.regionsGiven', { regions: model.regions.join(', ') })
      : t('cards:registry.noRegions', { registry: model.registry }),
    further: {
      title: model.further.title,
      steps: stepViews(model.further.steps),
      links: linkList(model.further.links),
    },
    labels: { endpoints: t('cards:diagnosis.endpoints') },
    buttons: buttonViews(model.buttons),
  });
}
