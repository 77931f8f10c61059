import type { View } from '../../src/bot/views';
import { regions as allRegions } from '../../src/catalogue/clouds';
import { symptoms } from '../../src/catalogue/symptoms';
import { causeIds, notNetworkKinds, type CauseId, type Diagnosis, type PasteFacts } from '../../src/contract';
import { parseRegistry } from '../../src/target';

const facts = (regions: string[], clientIp: string | null = null): PasteFacts => ({
  regions,
  clientIp,
  ips: [],
  ports: [],
  statusCodes: [],
  otherHosts: [],
  kindEvidence: null,
});

/** A network diagnosis for `symptom` as the recognizer would give it: the catalogue's cause weights, best first. */
export function networkDiagnosis(
  symptomId: (typeof symptoms)[number]['id'],
  regions = ['westeurope'],
  evidence?: string,
): Diagnosis {
  const symptom = symptoms.find((s) => s.id === symptomId);
  if (!symptom) throw new Error(symptomId);
  return {
    verdict: 'network',
    kind: null,
    registry: parseRegistry('myregistry.azurecr.io', regions),
    symptoms: [
      {
        id: symptomId,
        score: 0.9,
        evidence: evidence ?? `dial tcp: lookup myregistry.azurecr.io: no such host (${symptomId})`,
      },
    ],
    causes: Object.entries(symptom.causes)
      .map(([id, score]) => ({ id: id as CauseId, score: score as number }))
      .sort((a, b) => b.score - a.score),
    facts: facts(regions, '203.0.113.7'),
  };
}

/** Eight regions (and, below, the longest evidence a card shows): the biggest diagnosis card there is. */
export const manyRegions = [
  'westeurope',
  'northeurope',
  'eastus',
  'eastus2',
  'westus2',
  'japaneast',
  'southeastasia',
  'australiaeast',
];
const longEvidence = `Failed to pull image "myregistry.azurecr.io/app:1": ${'failed to do request: Head "https://myregistry.azurecr.io/v2/app/manifests/1": dial tcp 10.1.2.3:443: i/o timeout; '.repeat(5)}`;

/** Every view the bot can show, by name: each symptom, each cause opened, each not-network kind, and the rest. */
export function allViews(): [string, View][] {
  const views: [string, View][] = symptoms.map((s) => [
    `diagnosis ${s.id}`,
    { view: 'diagnosis', diagnosis: networkDiagnosis(s.id) },
  ]);
  views.push([
    'diagnosis without a registry',
    { view: 'diagnosis', diagnosis: { ...networkDiagnosis('dns-lookup', []), registry: null } },
  ]);
  views.push([
    'diagnosis naming twenty regions',
    {
      view: 'diagnosis',
      diagnosis: networkDiagnosis('azure-service-pull', allRegions.slice(0, 20), longEvidence),
    },
  ]);
  for (const cause of causeIds) {
    views.push([
      `diagnosis, ${cause} opened, 8 regions`,
      {
        view: 'diagnosis',
        diagnosis: networkDiagnosis('azure-service-pull', manyRegions, longEvidence),
        focus: cause,
      },
    ]);
  }
  for (const kind of notNetworkKinds) {
    views.push([
      `not-network ${kind}`,
      {
        view: 'diagnosis',
        diagnosis: {
          verdict: 'not-network',
          kind,
          registry: parseRegistry('myregistry'),
          symptoms: [],
          causes: [],
          facts: { ...facts([]), kindEvidence: longEvidence },
        },
      },
    ]);
  }
  views.push([
    'unrecognized',
    {
      view: 'diagnosis',
      diagnosis: {
        verdict: 'unrecognized',
        kind: null,
        registry: null,
        symptoms: [],
        causes: [],
        facts: facts([]),
      },
    },
  ]);
  views.push(['registry', { view: 'registry', registry: parseRegistry('myregistry'), regions: [] }]);
  views.push([
    'registry, 8 regions',
    { view: 'registry', registry: parseRegistry('myregistry.azurecr.io', manyRegions), regions: manyRegions },
  ]);
  views.push(['help', { view: 'help', welcome: false }]);
  views.push(['welcome', { view: 'help', welcome: true }]);
  return views;
}
