import { checkServerIdentity, connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';

import { azureTlsAuthorities } from '../../catalogue/azure-tls';
import type { Check, CheckContext, Outcome } from '../check';
import { errorCode } from '../net';
import { probeLimits } from '../plan';
import { openTunnel } from './proxy';
import { httpsPort } from './tcp';

const azureNames: ReadonlySet<string> = new Set(azureTlsAuthorities.map((a) => a.name.toLowerCase()));
const dayMs = 86_400_000;

/** Certificate codes that mean "the chain does not lead to a root we trust". */
const untrustedCodes: ReadonlySet<string> = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

function commonName(name: DetailedPeerCertificate['subject'] | undefined): string {
  const cn = (name as Record<string, string | string[]> | undefined)?.CN;
  return (Array.isArray(cn) ? cn[0] : cn) ?? '';
}

function organization(name: DetailedPeerCertificate['subject'] | undefined): string {
  const o = (name as Record<string, string | string[]> | undefined)?.O;
  return (Array.isArray(o) ? o[0] : o) ?? '';
}

/** The certificates the peer sent (leaf first), following issuer links until they repeat. */
function chainOf(leaf: DetailedPeerCertificate): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  for (
    let cert: DetailedPeerCertificate | undefined = leaf;
    cert && cert.fingerprint256 && !seen.has(cert.fingerprint256);
    cert = cert.issuerCertificate
  ) {
    seen.add(cert.fingerprint256);
    chain.push(cert);
  }
  return chain;
}

/** A TLS connection to the host's address (or through the proxy's tunnel), resolved once the handshake ends. */
async function handshake(
  context: CheckContext,
): Promise<{ socket: TLSSocket; close(): void } | { code: string }> {
  const { target, facts, env, signal, budgetMs } = context;
  let close = (): void => undefined;
  let socket: TLSSocket;
  const options = {
    servername: target.host,
    secureContext: env.secureContext,
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  };
  if (target.route.kind === 'proxy') {
    const tunnel = await openTunnel(env, target.route.proxy, target.host, budgetMs, signal);
    if (!tunnel.ok) return { code: tunnel.code };
    socket = connect({ ...options, socket: tunnel.socket });
    close = tunnel.close;
  } else {
    const address = facts.address;
    if (!address) return { code: 'NO_ADDRESS' };
    socket = connect({ ...options, host: address.address, port: httpsPort });
  }
  const closeAll = (): void => {
    socket.destroy();
    close();
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: { socket: TLSSocket; close(): void } | { code: string }): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      if ('code' in value) closeAll();
      resolve(value);
    };
    const onAbort = (): void => finish({ code: 'ETIMEDOUT' });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => finish({ socket, close: closeAll }));
    socket.once('error', (err) => finish({ code: errorCode(err) }));
    socket.once('close', () => finish({ code: 'ECONNRESET' }));
  });
}

/**
 * `tls`: a handshake with SNI set to the registry host, to the address TCP reached (or through the proxy's
 * tunnel). It reports the chain (subjects, issuers, validity, SAN, negotiated version), whether Node's roots
 * plus the configured CA trust it, whether the name matches, expiry and clock skew, and names interception:
 * a certificate not issued by one of Azure's public CAs, with the issuer shown.
 */
export const tlsCheck: Check = {
  id: 'tls',
  needs: ['proxy', 'tcp'],
  async run(context): Promise<Outcome> {
    const { target, facts } = context;
    const where: Record<string, unknown> =
      target.route.kind === 'proxy'
        ? { via: 'proxy', proxy: target.route.proxy.display }
        : { address: facts.address?.address };
    const shaken = await handshake(context);
    if ('code' in shaken)
      return { status: 'fail', code: shaken.code, detail: { ...where, servername: target.host } };
    const { socket } = shaken;
    try {
      const leaf = socket.getPeerCertificate(true);
      const chain = chainOf(leaf);
      const issuer = commonName(leaf.issuer);
      const root = commonName(chain[chain.length - 1]?.issuer);
      const san = (leaf.subjectaltname ?? '')
        .split(',')
        .map((s) => s.trim().replace(/^DNS:/, ''))
        .filter(Boolean);
      const sanMatch = checkServerIdentity(target.host, leaf) === undefined;
      const validFrom = new Date(leaf.valid_from);
      const validTo = new Date(leaf.valid_to);
      const now = Date.now();
      const azure = azureNames.has(issuer.toLowerCase());
      const reason = socket.authorized ? null : String(socket.authorizationError ?? 'UNTRUSTED');
      const detail: Record<string, unknown> = {
        ...where,
        servername: target.host,
        version: socket.getProtocol(),
        authorized: socket.authorized,
        subject: commonName(leaf.subject),
        issuer,
        issuerOrg: organization(leaf.issuer),
        root,
        azureIssuer: azure,
        san,
        sanMatch,
        validFrom: validFrom.toISOString(),
        validTo: validTo.toISOString(),
        daysLeft: Math.floor((validTo.getTime() - now) / dayMs),
        chain: chain.map((c) => ({
          subject: commonName(c.subject),
          issuer: commonName(c.issuer),
          validTo: new Date(c.valid_to).toISOString(),
        })),
      };
      if (reason) detail.reason = reason;
      if (reason && untrustedCodes.has(reason))
        return { status: 'fail', code: azure ? 'UNTRUSTED' : 'INTERCEPTED', detail };
      if (reason === 'CERT_HAS_EXPIRED' || now > validTo.getTime())
        return { status: 'fail', code: 'CERT_HAS_EXPIRED', detail };
      if (reason === 'CERT_NOT_YET_VALID' || now < validFrom.getTime())
        return { status: 'fail', code: 'CERT_NOT_YET_VALID', detail };
      if (!sanMatch) return { status: 'fail', code: 'ERR_TLS_CERT_ALTNAME_INVALID', detail };
      if (reason) return { status: 'fail', code: 'UNTRUSTED', detail };
      if (!azure) return { status: 'warn', code: 'INTERCEPTED_TRUSTED', detail };
      if (validTo.getTime() - now < probeLimits.expiryWarningDays * dayMs)
        return { status: 'warn', code: 'EXPIRING_SOON', detail };
      return { status: 'pass', detail };
    } finally {
      shaken.close();
    }
  },
};
