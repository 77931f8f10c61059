import { closest, distance } from 'fastest-levenshtein';

import { clouds, registryNameLength, regions, type Cloud } from './catalogue/clouds';
import type { Registry } from './contract';
import { AcrcheckError } from './errors';

/** Why a registry argument was refused; each is a locale key under `errors:ACRCHECK_NOT_ACR_HOST.`. */
export type RefusalReason =
  | 'empty'
  | 'too-long'
  | 'characters'
  | 'ip-literal'
  | 'port'
  | 'userinfo'
  | 'suffix'
  | 'name'
  | 'region'
  | 'region-typo'
  | 'regions'
  | 'privatelink';

/** What kind of registry host a name is. */
export type HostKind = 'login' | 'data' | 'geo';

/** A host under an Azure registry domain, taken apart. */
export interface RegistryHost {
  host: string;
  kind: HostKind;
  cloud: Cloud;
  /** The first label: the registry name, possibly with a domain-name-label hash (`name-hash`). */
  label: string;
  /** The registry name without a hash or tenant suffix. */
  name: string;
  region: string | null;
  loginServer: string;
}

const maxInput = 253;
/** RFC 1035: a DNS label has at most 63 octets, so a longer `name-hash` label names no host. */
const maxLabel = 63;
const labelPattern = new RegExp(
  `^[a-z0-9]{${registryNameLength.min},${registryNameLength.max}}(-[a-z0-9]{1,${registryNameLength.max}})?$`,
);
const namePattern = new RegExp(`^[a-z0-9]{${registryNameLength.min},${registryNameLength.max}}$`);
const regionPattern = /^[a-z][a-z0-9]{1,39}$/;
const knownRegions: ReadonlySet<string> = new Set(regions);

// Longest suffix first so `azurecr.microsoft.scloud` is never read as something shorter.
const suffixes = [...clouds].sort((a, b) => b.suffix.length - a.suffix.length);

function refuse(input: string, reason: RefusalReason, params: Record<string, string | number> = {}): never {
  throw new AcrcheckError(
    'ACRCHECK_NOT_ACR_HOST',
    `'${input.slice(0, 80)}' is not an Azure container registry (${reason})`,
    { input: input.slice(0, 80), reason, ...params },
  );
}

/** True when `region` has the shape of an Azure region name (`westeurope`, `usgovvirginia`). */
export function isRegionName(region: string): boolean {
  return regionPattern.test(region);
}

/** True for region names in our table (others may be new regions; they are still allowed). */
export function isKnownRegion(region: string): boolean {
  return knownRegions.has(region);
}

/** The known region `name` is a slip of (`westeurop` → `westeurope`), or null. */
function regionMeant(name: string): string | null {
  if (!isRegionName(name)) return null;
  const suggestion = closest(name, regions);
  // `eastus3` may be a region newer than our table, not a slip of `eastus2`.
  const base = (region: string): string => region.replace(/\d+$/, '');
  if (base(name) === base(suggestion)) return null;
  return distance(name, suggestion) <= 2 ? suggestion : null;
}

/**
 * The regions a person names, as Azure spells them: `West Europe`, `westeurope,eastus` and `WestEurope` all work
 * (words are joined when together they name a known region). A slip of a known region is refused with the region
 * meant; a well-formed name we do not know is kept (Azure adds regions); more than `max` are refused, not cut.
 * The chat command and `acrcheck probe --region` read regions through this one function.
 *
 * @throws AcrcheckError `ACRCHECK_NOT_ACR_HOST` with reason `region-typo` or `regions` (`parseRegistry` refuses
 *   a malformed one with `region`)
 */
export function namedRegions(words: readonly string[], max: number): string[] {
  const tokens = words.flatMap((w) => w.toLowerCase().split(/[\s,]+/)).filter(Boolean);
  const joined = (i: number, n: number): string => tokens.slice(i, i + n).join('');
  const spans = (i: number): number[] => [3, 2, 1].filter((n) => i + n <= tokens.length);
  const named: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const exact = spans(i).find((n) => isKnownRegion(joined(i, n)));
    if (exact === undefined) {
      // A misspelt region, in one word or several (`Germany WestCentrl`): say which one was meant.
      const typo = spans(i).find((n) => regionMeant(joined(i, n)) !== null);
      if (typo !== undefined)
        refuse(joined(i, typo), 'region-typo', { suggestion: regionMeant(joined(i, typo)) ?? '' });
    }
    named.push(joined(i, exact ?? 1));
    i += exact ?? 1;
  }
  const unique = [...new Set(named)];
  if (unique.length > max) refuse(unique.join(','), 'regions', { max });
  return unique;
}

/**
 * Takes apart a lower-case host name if it lies under an Azure registry domain:
 * `<label>.<suffix>`, `<label>.<region>.data.<suffix>` or `<label>.<region>.geo.<suffix>`.
 * Returns null for anything else (other domains, look-alikes, privatelink names).
 */
export function classifyHost(hostInput: string): RegistryHost | null {
  const host = hostInput.toLowerCase().replace(/\.$/, '');
  for (const cloud of suffixes) {
    if (!host.endsWith(`.${cloud.suffix}`)) continue;
    const labels = host.slice(0, -(cloud.suffix.length + 1)).split('.');
    const [label, region, kindLabel] = labels;
    if (!label || label.length > maxLabel || !labelPattern.test(label)) return null;
    const name = label.split('-')[0] ?? label;
    const loginServer = `${label}.${cloud.suffix}`;
    if (labels.length === 1) return { host, kind: 'login', cloud, label, name, region: null, loginServer };
    if (
      labels.length === 3 &&
      region &&
      regionPattern.test(region) &&
      (kindLabel === 'data' || kindLabel === 'geo')
    ) {
      return { host, kind: kindLabel, cloud, label, name, region, loginServer };
    }
    return null;
  }
  return null;
}

/** The dedicated data endpoint of a registry in one region. */
export function dataEndpoint(loginServer: string, region: string): string {
  const parsed = classifyHost(loginServer);
  if (!parsed) throw new Error(`not a login server: ${loginServer}`);
  return `${parsed.label}.${region}.data.${parsed.cloud.suffix}`;
}

/**
 * Parses what a user typed as a registry (a name, a login server, a data endpoint, an image reference
 * or an `https://` URL of one) into the registry to probe. Refuses, with a reason, everything that is not
 * an Azure container registry host: IP literals, ports, userinfo, other domains, look-alike suffixes and
 * any character outside ASCII letters, digits, `-` and `.` (so IDN confusables never pass).
 *
 * @throws AcrcheckError `ACRCHECK_NOT_ACR_HOST` with `params.reason`
 */
export function parseRegistry(inputRaw: string, regionsWanted: readonly string[] = []): Registry {
  const input = inputRaw.trim();
  if (!input) refuse(inputRaw, 'empty');
  if (input.length > maxInput) refuse(input, 'too-long');

  let rest = input;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    if (!/^https?$/i.test(scheme[1] ?? '')) refuse(input, 'characters');
    rest = rest.slice(scheme[0].length);
  }
  // An image reference or URL may carry a path after the host; the host ends at the first '/'.
  const slash = rest.indexOf('/');
  const hostPart = slash === -1 ? rest : rest.slice(0, slash);
  if (hostPart.includes('@')) refuse(input, 'userinfo');
  if (hostPart.startsWith('[') || hostPart.split(':').length > 2) refuse(input, 'ip-literal');
  if (hostPart.includes(':')) refuse(input, 'port');
  if (!/^[A-Za-z0-9.-]+$/.test(hostPart)) refuse(input, 'characters');
  const host = hostPart.toLowerCase().replace(/\.$/, '');
  if (/^\d+(\.\d+){3}$/.test(host) || /^\d+$/.test(host) || /^0x[0-9a-f]+$/.test(host))
    refuse(input, 'ip-literal');

  let registryHost: RegistryHost | null;
  if (!host.includes('.')) {
    if (!namePattern.test(host)) refuse(input, 'name');
    registryHost = classifyHost(`${host}.azurecr.io`);
  } else {
    registryHost = classifyHost(host);
    if (!registryHost) {
      // `myreg.privatelink.azurecr.io` is the private DNS record behind the login server, not a name clients use.
      const zone = clouds.find((c) => c.privateZone && host.endsWith(`.${c.privateZone}`));
      const behind =
        zone?.privateZone && classifyHost(`${host.slice(0, -zone.privateZone.length - 1)}.${zone.suffix}`);
      if (behind) refuse(input, 'privatelink', { loginServer: behind.loginServer });
      const underAzure = suffixes.some((c) => host === c.suffix || host.endsWith(`.${c.suffix}`));
      refuse(input, underAzure ? 'name' : 'suffix');
    }
  }
  if (!registryHost) refuse(input, 'name');

  for (const region of regionsWanted) if (!isRegionName(region)) refuse(region, 'region');
  const wanted = new Set(regionsWanted);
  if (registryHost.region) wanted.add(registryHost.region);
  return {
    name: registryHost.name,
    loginServer: registryHost.loginServer,
    dataEndpoints: [...wanted].map((region) => dataEndpoint(registryHost.loginServer, region)),
  };
}
