/**
 * The documentation acrcheck links to. Learn pages are stored without a language, and the binder inserts the
 * user's (`learn.microsoft.com/<en-us|de-de|zh-tw>/<path>`); other sites have one address for everyone.
 * Pages that Azure China (operated by 21Vianet) publishes for its own cloud on docs.azure.cn carry that path
 * too. Titles are locale keys `catalogue:docs.<id>`.
 */

import type { Locale } from '../i18n';

export interface Doc {
  id: string;
  /** `learn`: a learn.microsoft.com path after the language segment; `web`: a complete URL. */
  site: 'learn' | 'web';
  path: string;
  /** The page's path on docs.azure.cn after the language segment, for registries in Azure China. */
  china?: string;
}

/** docs.azure.cn: its address and the language segment each of our locales reads (it has no German). */
export const chinaDocs = {
  base: 'https://docs.azure.cn',
  languages: { en: 'en-us', de: 'en-us', 'zh-TW': 'zh-cn' },
} as const satisfies { base: string; languages: Record<Locale, string> };

/** The container registry articles on learn.microsoft.com, by slug. */
const acr = (slug: string, anchor = ''): string =>
  `azure/container-registry/${slug}${anchor ? `#${anchor}` : ''}`;
/** The same article on docs.azure.cn. */
const acrChina = (slug: string): string => `container-registry/${slug}`;

export const docs = [
  {
    id: 'troubleshoot-access',
    site: 'learn',
    path: acr('container-registry-troubleshoot-access'),
    china: acrChina('container-registry-troubleshoot-access'),
  },
  { id: 'troubleshoot-login', site: 'learn', path: acr('container-registry-troubleshoot-login') },
  {
    id: 'firewall-access-rules',
    site: 'learn',
    path: acr('container-registry-firewall-access-rules'),
    china: acrChina('container-registry-firewall-access-rules'),
  },
  { id: 'dedicated-data-endpoints', site: 'learn', path: acr('container-registry-dedicated-data-endpoints') },
  {
    id: 'geo-replication',
    site: 'learn',
    path: acr('container-registry-geo-replication'),
    china: acrChina('container-registry-geo-replication'),
  },
  { id: 'monitor-service', site: 'learn', path: acr('monitor-service') },
  { id: 'selected-networks', site: 'learn', path: acr('container-registry-access-selected-networks') },
  {
    id: 'private-link',
    site: 'learn',
    path: acr('container-registry-private-link'),
    china: acrChina('container-registry-private-link'),
  },
  { id: 'vnet-service-endpoint', site: 'learn', path: acr('container-registry-vnet') },
  { id: 'trusted-services', site: 'learn', path: acr('allow-access-trusted-services') },
  { id: 'tasks-agent-pools', site: 'learn', path: acr('tasks-agent-pools') },
  { id: 'check-health', site: 'learn', path: acr('container-registry-check-health') },
  { id: 'health-error-reference', site: 'learn', path: acr('container-registry-health-error-reference') },
  { id: 'authentication', site: 'learn', path: acr('container-registry-authentication') },
  { id: 'roles', site: 'learn', path: acr('container-registry-rbac-built-in-roles-overview') },
  {
    id: 'repository-permissions',
    site: 'learn',
    path: acr('container-registry-rbac-abac-repository-permissions'),
  },
  { id: 'import-images', site: 'learn', path: acr('container-registry-import-images') },
  { id: 'skus', site: 'learn', path: acr('container-registry-skus') },
  { id: 'cli-acr-repository', site: 'learn', path: 'cli/azure/acr/repository' },
  { id: 'private-endpoint-dns', site: 'learn', path: 'azure/private-link/private-endpoint-dns' },
  {
    id: 'private-endpoint-troubleshoot',
    site: 'learn',
    path: 'azure/private-link/troubleshoot-private-endpoint-connectivity',
  },
  { id: 'service-tags', site: 'learn', path: 'azure/virtual-network/service-tags-overview' },
  { id: 'aks-egress', site: 'learn', path: 'azure/aks/outbound-rules-control-egress' },
  {
    id: 'resource-providers',
    site: 'learn',
    path: 'azure/azure-resource-manager/management/resource-providers-and-types',
  },
  { id: 'docker-proxy', site: 'web', path: 'https://docs.docker.com/engine/daemon/proxy/' },
  { id: 'docker-hub-limits', site: 'web', path: 'https://docs.docker.com/docker-hub/usage/pulls/' },
  {
    id: 'kubernetes-dns-debugging',
    site: 'web',
    path: 'https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/',
  },
] as const satisfies readonly Doc[];

/** The id of a document in {@link docs}. */
export type DocId = (typeof docs)[number]['id'];
