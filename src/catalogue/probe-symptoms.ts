import type { CauseId, SymptomId } from '../contract';
import type { ComparisonId } from './comparisons';
import type { FindingId } from './findings';

/**
 * The symptom a client (docker, az, kubelet) shows for what a probe found, so that a probe's top cause opens
 * the same fix a pasted error would. Findings and comparisons not listed fall back to their cause's entry in
 * {@link causeSymptoms}.
 */
export const probeSymptoms = {
  'dns-private-record-missing': 'dns-lookup',
  'dns-nxdomain': 'dns-lookup',
  'dns-nodata': 'dns-lookup',
  'dns-servfail': 'dns-lookup',
  'dns-no-answer': 'dns-lookup',
  'dns-server-unreachable': 'dns-lookup',
  'dns-timeout': 'dns-lookup',
  'dns-refused': 'dns-lookup',
  'dns-failed': 'dns-lookup',
  'dns-private-expected-public': 'private-endpoint-unreachable',
  'private-dns-public-path': 'private-endpoint-unreachable',
  'tcp-timeout-private': 'private-endpoint-unreachable',
  'tcp-unreachable': 'private-endpoint-unreachable',
  'tcp-timeout': 'client-timeout',
  'data-endpoint-blocked': 'client-timeout',
  'tls-timeout': 'client-timeout',
  'http-timeout': 'client-timeout',
  'tcp-refused': 'connection-refused',
  'tcp-reset': 'connection-refused',
  'tls-reset': 'connection-refused',
  'data-endpoint-reset': 'connection-refused',
  'tls-interception': 'tls-interception',
  'tls-interception-trusted': 'tls-interception',
  'tls-untrusted': 'tls-interception',
  'acr-denied': 'ip-denied',
  'proxy-denied': 'proxy-login-failed',
  'proxy-auth': 'proxy-login-failed',
  'proxy-eof': 'proxy-login-failed',
  'proxy-scheme': 'proxy-login-failed',
  'proxy-refused': 'proxy-login-failed',
  'proxy-unreachable': 'proxy-login-failed',
  'proxy-bad-url': 'proxy-login-failed',
  'not-acr': 'proxy-login-failed',

  'private-endpoint-blocked': 'private-endpoint-unreachable',
  'denied-vs-allowed': 'ip-denied',
  'path-blocked': 'client-timeout',
  'tls-inspection-only': 'tls-interception',
  'proxy-blocked': 'proxy-login-failed',
  'dns-fails-only': 'dns-lookup',
  'data-endpoint-only': 'client-timeout',
} as const satisfies Partial<Record<FindingId | ComparisonId, SymptomId>>;

/** The symptom shown for a cause when no finding names one. */
export const causeSymptoms = {
  'client-firewall': 'cli-cannot-connect',
  'registry-public-access': 'ip-denied',
  'vnet-config': 'private-endpoint-unreachable',
  'service-access': 'azure-service-pull',
} as const satisfies Record<CauseId, SymptomId>;
