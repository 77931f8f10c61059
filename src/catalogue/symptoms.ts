import type { CauseId, SymptomId } from '../contract';

/** A symptom: where it comes from and how strongly it points at each cause (weights sum to 1). */
export interface Symptom {
  id: SymptomId;
  /** `seed`: one of the article's eleven; `signature`: a real-world error string beyond them. */
  origin: 'seed' | 'signature';
  causes: Partial<Record<CauseId, number>>;
}

/** Every symptom, in CONTRACT.md order. Text lives in `locales/<lng>/catalogue.json` under `symptoms.<id>`. */
export const symptoms = [
  { id: 'dns-lookup', origin: 'seed', causes: { 'client-firewall': 0.6, 'vnet-config': 0.4 } },
  { id: 'client-timeout', origin: 'seed', causes: { 'client-firewall': 0.6, 'vnet-config': 0.4 } },
  {
    id: 'cli-cannot-connect',
    origin: 'seed',
    causes: { 'client-firewall': 0.45, 'vnet-config': 0.35, 'registry-public-access': 0.2 },
  },
  {
    id: 'azure-service-pull',
    origin: 'seed',
    causes: {
      'vnet-config': 0.4,
      'registry-public-access': 0.3,
      'service-access': 0.2,
      'client-firewall': 0.1,
    },
  },
  { id: 'proxy-login-failed', origin: 'seed', causes: { 'client-firewall': 1 } },
  {
    id: 'network-settings-save-failed',
    origin: 'seed',
    causes: { 'vnet-config': 0.8, 'registry-public-access': 0.2 },
  },
  {
    id: 'portal-cli-management',
    origin: 'seed',
    causes: { 'registry-public-access': 0.6, 'client-firewall': 0.4 },
  },
  {
    id: 'network-rules-change',
    origin: 'seed',
    causes: { 'vnet-config': 0.6, 'registry-public-access': 0.4 },
  },
  { id: 'acr-tasks', origin: 'seed', causes: { 'service-access': 0.7, 'registry-public-access': 0.3 } },
  { id: 'defender-scan', origin: 'seed', causes: { 'service-access': 1 } },
  { id: 'private-endpoint-unreachable', origin: 'seed', causes: { 'vnet-config': 1 } },
  { id: 'ip-denied', origin: 'signature', causes: { 'registry-public-access': 0.8, 'vnet-config': 0.2 } },
  { id: 'tls-interception', origin: 'signature', causes: { 'client-firewall': 1 } },
  { id: 'connection-refused', origin: 'signature', causes: { 'client-firewall': 0.6, 'vnet-config': 0.4 } },
  { id: 'no-route', origin: 'signature', causes: { 'client-firewall': 0.6, 'vnet-config': 0.4 } },
] as const satisfies readonly Symptom[];
