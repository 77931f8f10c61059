import type { Check, HostRole } from '../check';
import { challengeCheck } from './challenge';
import { dataEndpointCheck } from './data-endpoint';
import { dnsCheck } from './dns';
import { proxyCheck } from './proxy';
import { tcpCheck } from './tcp';
import { tlsCheck } from './tls';
import { tokenCheck } from './token';

/**
 * Every check, by the kind of host it runs against, in dependency order (each after the checks it needs).
 * The proxy check is left out when the environment names no proxy.
 */
export const checksByRole = {
  login: [proxyCheck, dnsCheck, tcpCheck, tlsCheck, challengeCheck, tokenCheck],
  data: [proxyCheck, dnsCheck, tcpCheck, tlsCheck, dataEndpointCheck],
} as const satisfies Record<HostRole, readonly Check[]>;
