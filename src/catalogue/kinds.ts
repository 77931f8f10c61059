/**
 * Advice for pastes that are recognized but are not ACR network problems. Text is
 * `catalogue:kinds.<kind>.title|text`, interpolated with the registry's name and login server.
 */

import type { NotNetworkKind } from '../contract';
import type { DocId } from './docs';

export interface KindSpec {
  docs: readonly DocId[];
}

export const kinds = {
  auth: { docs: ['troubleshoot-login', 'authentication', 'roles', 'repository-permissions'] },
  'not-found': { docs: ['cli-acr-repository', 'troubleshoot-login'] },
  'rate-limit': { docs: ['import-images', 'skus', 'docker-hub-limits'] },
  'other-registry': { docs: ['import-images', 'troubleshoot-access'] },
} as const satisfies Record<NotNetworkKind, KindSpec>;
