/**
 * The four causes of the seed article. Text lives in `locales/<lng>/catalogue.json` under `causes.<id>`;
 * `section` is the anchor of the cause's solution in the troubleshooting article.
 */

import type { CauseId } from '../contract';

export interface Cause {
  id: CauseId;
  /** Anchor in `container-registry-troubleshoot-access` (the same in every language). */
  section: string;
}

/** Every cause, in CONTRACT.md order. */
export const causes = [
  { id: 'client-firewall', section: 'configure-client-firewall-access' },
  { id: 'registry-public-access', section: 'configure-public-access-to-registry' },
  { id: 'vnet-config', section: 'configure-vnet-access' },
  { id: 'service-access', section: 'configure-service-access' },
] as const satisfies readonly Cause[];
