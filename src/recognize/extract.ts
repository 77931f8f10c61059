/**
 * Pulls facts out of normalized, redacted lines: registry hosts of every Azure cloud (through
 * `classifyHost`, the one authority on what an Azure registry host is), masked and private-link names,
 * other registries' hosts, IP addresses, ports, HTTP status codes and the client address ACR reported.
 * Every scan is a single pass over characters; nothing here backtracks.
 */
import { isIPv4, isIPv6 } from 'node:net';

import { clouds } from '../catalogue/clouds';
import {
  azureDnsAddress,
  failingHostPrefixes,
  ownAddressLabels,
  sourceAddressWords,
  hostRoles,
  httpReasons,
  maskedLabels,
  registryApiPaths,
  type HostRole,
} from '../catalogue/signatures';
import type { PasteFacts } from '../contract';
import { classifyHost, dataEndpoint, isKnownRegion, isRegionName, type RegistryHost } from '../target';
import { scanImages } from './images';

/** What a host in a paste is. `acr` covers login servers, data and regional endpoints, masked names. */
export type HostKind = 'acr' | HostRole | 'unknown';

/** One host name as it stands in a line. */
export interface HostMention {
  host: string;
  kind: HostKind;
  /** The registry, when the name is a real one (not masked, not malformed). */
  registry: RegistryHost | null;
  region: string | null;
  masked: boolean;
  privateLink: boolean;
  /** Where a failing endpoint stands: after `lookup `, in a registry API URL, in an image reference… */
  failing: boolean;
  /** After the word "proxy" on its line: the proxy itself, not a registry. */
  proxied: boolean;
  port: number | null;
}

/** Which side of a failure a line is about. */
export interface LineContext {
  acr: boolean;
  dataPath: boolean;
  otherHosts: string[];
}

/** Everything the extractor found in a paste. */
export interface Extraction {
  /** The facts found in the text; the ranking adds `kindEvidence`. */
  facts: Omit<PasteFacts, 'kindEvidence'>;
  /** Registries by login server, in order of first appearance, with how often each is named. */
  registries: { host: RegistryHost; count: number; regions: Set<string> }[];
  /** Any Azure registry host (real, masked or private-link) or ACR storage named anywhere. */
  hasAcr: boolean;
  /** Any other registry's host named anywhere as a failing endpoint or known registry. */
  hasOther: boolean;
  /** Private IPv4 addresses a client connected to (not a source, a proxy, a DNS server or the client ACR saw). */
  privateIps: string[];
  /** DNS servers inside a private network (`lookup x on 10.0.0.10:53`, Azure DNS at 168.63.129.16). */
  privateDnsServers: string[];
  /** Public IPv4 addresses besides sources, proxies and the client ACR reported (a public answer in DNS output). */
  publicIps: string[];
  /** A registry's privatelink name (`myreg.privatelink.azurecr.io`) is named: the registry has a private endpoint. */
  privateLink: boolean;
  /** A public registry front end is named (`*.fe.azcr.io`, `*.cloudapp.azure.com`, Traffic Manager). */
  publicFrontend: boolean;
  /** Image references with the line each stands on, in order (at most `maxImages`). */
  images: { ref: string; line: number }[];
}

const runChars = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-*<>{}[]$%')
  runChars[c.charCodeAt(0)] = 1;
const maskChars = /[*<>{}[\]$%]/;
const maskWords: ReadonlySet<string> = new Set(maskedLabels);
const cloudsBySuffix = [...clouds].sort((a, b) => b.suffix.length - a.suffix.length);
const rolesBySuffix = [...hostRoles].sort((a, b) => b.suffix.length - a.suffix.length);
// What a host name cannot end in: file extensions that look like two-letter country domains and friends.
// prettier-ignore
const fileExtensions = new Set([
  'go', 'py', 'js', 'ts', 'sh', 'md', 'cs', 'rb', 'rs', 'gz', 'so', 'pl', 'kt', 'cc', 'hh', 'ps', 'json', 'yaml',
  'yml', 'conf', 'cfg', 'service', 'txt', 'log', 'toml', 'xml', 'html', 'java', 'crt', 'pem', 'key', 'tar', 'zip',
  'exe', 'dll', 'lock', 'ini', 'env', 'tgz', 'csv', 'png', 'jpg', 'svg', 'cer', 'pfx', 'bicep', 'tf', 'ipynb',
]);
// Top-level domains longer than two letters that registries and corporate networks use.
// prettier-ignore
const longTlds = new Set([
  'com', 'net', 'org', 'io', 'dev', 'app', 'cloud', 'local', 'internal', 'corp', 'lan', 'home', 'intra', 'gov',
  'edu', 'mil', 'info', 'biz', 'xyz', 'tech', 'site', 'online', 'aws', 'services', 'azure', 'ms', 'systems', 'example',
]);
/** No real line names more hosts, addresses or status codes than this; hostile ones stop here. */
const maxPerLine = 256;
/** Image references remembered per paste. */
const maxImages = 32;
/** Public front ends a registry's name resolves to when its private endpoint's DNS is not used. */
const publicFrontendSuffixes = ['.azcr.io', '.cloudapp.azure.com', '.trafficmanager.net'];
/** Lines no rule matched are read for facts only up to this many characters. */
export const factBudgetChars = 256 * 1024;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isAlnum(code: number): boolean {
  return isDigit(code) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

const trimmable = new Set(['.', '_', '-']);
const bracketPairs = [
  ['<', '>'],
  ['[', ']'],
  ['{', '}'],
] as const;

/** A run of host characters without the punctuation around it (`<https://x.azurecr.io>` → the host). */
function trimRun(run: string): string {
  let from = 0;
  let to = run.length;
  while (from < to && trimmable.has(run[from] ?? '')) from += 1;
  while (to > from && trimmable.has(run[to - 1] ?? '')) to -= 1;
  let value = run.slice(from, to);
  for (const [open, close] of bracketPairs) {
    if (value.endsWith(close) && !value.includes(open)) value = value.slice(0, -1);
    if (value.startsWith(open) && !value.includes(close)) value = value.slice(1);
  }
  to = value.length;
  while (to > 0 && trimmable.has(value[to - 1] ?? '')) to -= 1;
  return value.slice(0, to);
}

function isMaskedLabel(label: string): boolean {
  return label === '' || maskChars.test(label) || /^x{3,}$/.test(label) || maskWords.has(label);
}

function isHostName(host: string): boolean {
  const labels = host.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (!label || label.length > 63 || !/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label)) return false;
  }
  const tld = labels[labels.length - 1] ?? '';
  if (!/^[a-z]{2,24}$/.test(tld) || fileExtensions.has(tld)) return false;
  return tld.length === 2 || longTlds.has(tld);
}

function roleOf(host: string): HostRole | null {
  for (const entry of rolesBySuffix) {
    if (host === entry.suffix || host.endsWith(`.${entry.suffix}`)) return entry.role;
  }
  return null;
}

/** Takes apart a name under an Azure registry suffix, privatelink and masked names included. */
function azureRegistryMention(
  host: string,
): Pick<HostMention, 'registry' | 'region' | 'masked' | 'privateLink'> | null {
  for (const cloud of cloudsBySuffix) {
    if (host !== cloud.suffix && !host.endsWith(`.${cloud.suffix}`)) continue;
    const labels = host === cloud.suffix ? [''] : host.slice(0, -(cloud.suffix.length + 1)).split('.');
    const privateLink = labels[labels.length - 1] === 'privatelink';
    if (privateLink) labels.pop();
    const [label = '', region, kind] = labels;
    // Only a data endpoint says its registry serves layers from that region; a regional (geo) one does not.
    const regional = labels.length === 3 && kind === 'data' && region && isRegionName(region);
    if (isMaskedLabel(label)) {
      return { registry: null, region: regional ? (region ?? null) : null, masked: true, privateLink };
    }
    const registry = classifyHost(`${labels.join('.')}.${cloud.suffix}`);
    return {
      registry,
      region: registry?.kind === 'data' ? registry.region : null,
      masked: false,
      privateLink,
    };
  }
  return null;
}

function portAfter(line: string, end: number): number | null {
  if (line.charCodeAt(end) !== 58) return null;
  let j = end + 1;
  while (j < line.length && j - end <= 6 && isDigit(line.charCodeAt(j))) j += 1;
  if (j === end + 1 || j - end > 6 || isAlnum(line.charCodeAt(j))) return null;
  // `10.0.0.5:39122->10.0.0.10:53`: the left side is the connection's source.
  if (line.startsWith('->', j)) return null;
  const port = Number(line.slice(end + 1, j));
  return port > 0 && port <= 65535 ? port : null;
}

function isFailingPosition(lower: string, start: number, end: number): boolean {
  const before = lower.slice(Math.max(0, start - 28), start);
  if (before.endsWith('://')) {
    let j = end;
    if (lower.charCodeAt(j) === 58) {
      j += 1;
      while (isDigit(lower.charCodeAt(j))) j += 1;
    }
    return registryApiPaths.some((path) => lower.startsWith(path, j));
  }
  return failingHostPrefixes.some((prefix) => before.endsWith(prefix));
}

type Classified = Pick<HostMention, 'kind' | 'registry' | 'region' | 'masked' | 'privateLink'>;

// Pastes repeat the same few hosts; classifying each distinct name once keeps long pastes fast.
const classified = new Map<string, Classified | null>();
const maxCached = 4096;

function classify(host: string): Classified | null {
  const cached = classified.get(host);
  if (cached !== undefined) return cached;
  let result: Classified | null = null;
  const acr = azureRegistryMention(host);
  if (acr) {
    result = { kind: 'acr', ...acr };
  } else if (!maskChars.test(host)) {
    const role = roleOf(host);
    if (role || isHostName(host)) {
      result = {
        kind: role ?? 'unknown',
        registry: null,
        region: role === 'azure' ? cloudappRegion(host) : null,
        masked: false,
        privateLink: false,
      };
    }
  }
  if (classified.size < maxCached) classified.set(host, result);
  return result;
}

/** Every host name on one line, with its kind and position. */
export function scanHosts(line: string): HostMention[] {
  const mentions: HostMention[] = [];
  let lower: string | undefined;
  let proxyAt = -2;
  const n = line.length;
  let i = 0;
  while (i < n && mentions.length < maxPerLine) {
    const code = line.charCodeAt(i);
    if (code >= 128 || !runChars[code]) {
      i += 1;
      continue;
    }
    let j = i + 1;
    let dot = false;
    while (j < n) {
      const c = line.charCodeAt(j);
      if (c >= 128 || !runChars[c]) break;
      if (c === 46) dot = true;
      j += 1;
    }
    if (dot) {
      const raw = line.slice(i, j);
      const trimmed = trimRun(raw);
      const host = trimmed.toLowerCase();
      const found = host ? classify(host) : null;
      if (found) {
        const hostStart = i + raw.indexOf(trimmed);
        const hostEnd = hostStart + host.length;
        if (proxyAt === -2) proxyAt = line.search(/proxy/i);
        let failing = false;
        if (found.kind !== 'acr') {
          lower ??= line.toLowerCase();
          failing = isFailingPosition(lower, hostStart, hostEnd);
        }
        mentions.push({
          host,
          kind: found.kind,
          registry: found.registry,
          region: found.region,
          masked: found.masked,
          privateLink: found.privateLink,
          failing,
          proxied: proxyAt !== -1 && proxyAt < hostStart,
          port: portAfter(line, hostEnd),
        });
      }
    }
    i = j;
  }
  return mentions;
}

/** `r0318eus-az.eastus.cloudapp.azure.com`: the region a registry's CNAME chain ends in. */
function cloudappRegion(host: string): string | null {
  const suffix = '.cloudapp.azure.com';
  if (!host.endsWith(suffix)) return null;
  const labels = host.slice(0, -suffix.length).split('.');
  const region = labels[labels.length - 1] ?? '';
  return isKnownRegion(region) ? region : null;
}

/** Image references in kubelet's `image "…"` without a registry host are Docker Hub's. */
function impliedDockerHub(line: string, lower: string): boolean {
  let at = lower.indexOf('image "');
  while (at !== -1) {
    const start = at + 7;
    let end = start;
    while (end < line.length && end - start < 512 && line[end] !== '"' && line[end] !== ' ') end += 1;
    const ref = line.slice(start, end);
    if (ref) {
      const slash = ref.indexOf('/');
      const first = slash === -1 ? '' : ref.slice(0, slash);
      if (slash === -1 || (!first.includes('.') && !first.includes(':') && first !== 'localhost'))
        return true;
    }
    at = lower.indexOf('image "', end);
  }
  return false;
}

function contextOf(line: string, mentions: readonly HostMention[]): LineContext {
  const otherHosts: string[] = [];
  let acr = false;
  let dataPath = false;
  for (const m of mentions) {
    if (m.kind === 'acr' || m.kind === 'acr-storage') {
      acr = true;
      if (m.kind === 'acr-storage' || m.registry?.kind === 'data' || (m.masked && m.region)) dataPath = true;
    } else if (isFailingOther(m) && !otherHosts.includes(m.host)) {
      otherHosts.push(m.host);
    }
  }
  if (
    !acr &&
    line.includes('image "') &&
    impliedDockerHub(line, line.toLowerCase()) &&
    !otherHosts.includes('docker.io')
  ) {
    otherHosts.push('docker.io');
  }
  return { acr, dataPath, otherHosts };
}

function isFailingOther(m: HostMention): boolean {
  return (
    !m.proxied && (m.kind === 'other-registry' || ((m.kind === 'doc' || m.kind === 'unknown') && m.failing))
  );
}

/** Whether a line is about an Azure registry, another registry, or neither (no host on it). */
export function lineContext(line: string): LineContext {
  return contextOf(line, scanHosts(line));
}

interface IpMention {
  ip: string;
  port: number | null;
  /** The left side of `src->dst`. */
  source: boolean;
  /** An RFC 1918 address. */
  private: boolean;
}

/** The first two octets of a dotted-quad IPv4 address (no leading zeros), or null. */
function ipv4Octets(text: string): [number, number] | null {
  let parts = 0;
  let value = 0;
  let digits = 0;
  let first = 0;
  let second = 0;
  for (let k = 0; k <= text.length; k += 1) {
    const c = k < text.length ? text.charCodeAt(k) : 46;
    if (isDigit(c)) {
      if (digits === 1 && value === 0) return null;
      value = value * 10 + (c - 48);
      digits += 1;
      if (digits > 3) return null;
      continue;
    }
    if (c !== 46 || digits === 0 || value > 255) return null;
    if (parts === 0) first = value;
    if (parts === 1) second = value;
    parts += 1;
    value = 0;
    digits = 0;
  }
  return parts === 4 ? [first, second] : null;
}

function isPrivateOctets([a, b]: [number, number]): boolean {
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

const ipRunChars = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF:.') ipRunChars[c.charCodeAt(0)] = 1;

/** IPv4 and IPv6 addresses on one line (not version numbers, not times, not `std::x`). */
export function scanIps(line: string): IpMention[] {
  const found: IpMention[] = [];
  const n = line.length;
  let i = 0;
  while (i < n && found.length < maxPerLine) {
    const code = line.charCodeAt(i);
    if (code >= 128 || !ipRunChars[code]) {
      i += 1;
      continue;
    }
    let j = i + 1;
    let colons = 0;
    while (j < n) {
      const c = line.charCodeAt(j);
      if (c >= 128 || !ipRunChars[c]) break;
      if (c === 58) colons += 1;
      j += 1;
    }
    const prev = line.charCodeAt(i - 1);
    const next = line.charCodeAt(j);
    // The longest address with a port is 47 characters; longer runs are something else.
    if (
      j - i > 64 ||
      (i > 0 && (isAlnum(prev) || prev === 95 || prev === 46 || prev === 45)) ||
      isAlnum(next) ||
      next === 95
    ) {
      i = j;
      continue;
    }
    const run = line.slice(i, j).replace(/[.:]+$/, '');
    if (colons > 0) colons = run.split(':').length - 1;
    if (colons >= 2) {
      const groups = run.split(':');
      if (isIPv6(run) && run !== '::' && (run === '::1' || groups.some((g) => g.length >= 3))) {
        found.push({ ip: run.toLowerCase(), port: null, source: false, private: false });
      }
    } else {
      const colon = run.indexOf(':');
      const ip = colon === -1 ? run : run.slice(0, colon);
      const octets = ipv4Octets(ip);
      if (octets) {
        const port = colon === -1 ? null : portAfter(line, i + colon);
        const source = colon !== -1 && line.startsWith('->', i + run.length);
        found.push({ ip, port, source, private: isPrivateOctets(octets) });
      }
    }
    i = j;
  }
  return found;
}

/** An address that is a machine's own (`Node: aks-…/10.224.0.5`, `SourceAddress : 10.1.2.3`), not a destination. */
function isSourceAddress(line: string, at: number): boolean {
  if (at <= 0) return false;
  const before = line.slice(Math.max(0, at - 32), at).toLowerCase();
  if (sourceAddressWords.some((word) => before.includes(word))) return true;
  // curl: `connect to 20.1.2.3 port 443 from 192.168.1.23 port 51234 failed` (not ping's `Reply from`).
  if (before.endsWith(' from ') && !before.endsWith('reply from ')) return true;
  const head = line.slice(0, Math.min(at, 64)).trimStart().toLowerCase();
  return ownAddressLabels.some((label) => head.startsWith(label));
}

/** A public IPv4 address: not private, loopback, link-local, unspecified or documentation-only. */
function isPublicIpv4(ip: string): boolean {
  const octets = ipv4Octets(ip);
  if (!octets || isPrivateOctets(octets)) return false;
  const [a, b] = octets;
  return a !== 0 && a !== 127 && !(a === 169 && b === 254) && a < 224;
}

/** True for RFC 1918 addresses. */
export function isPrivateIpv4(ip: string): boolean {
  const octets = ipv4Octets(ip);
  return octets !== null && isPrivateOctets(octets);
}

const reasonByPhrase = [...httpReasons].sort((x, y) => y.phrase.length - x.phrase.length);
const statusWords = ['status', 'code', 'http/', 'response'];

/** HTTP status codes on one line: `403 Forbidden`, `status: 401`, `Response code: 403`, Go's `": Forbidden`. */
export function scanStatusCodes(line: string): number[] {
  const codes: number[] = [];
  const lower = line.toLowerCase();
  const n = line.length;
  let candidates = 0;
  for (let i = 0; i + 2 < n && candidates < maxPerLine; i += 1) {
    const first = line.charCodeAt(i);
    if (first < 49 || first > 53 || !isDigit(line.charCodeAt(i + 1)) || !isDigit(line.charCodeAt(i + 2)))
      continue;
    const prev = line.charCodeAt(i - 1);
    const next = line.charCodeAt(i + 3);
    candidates += 1;
    if (isAlnum(prev) || prev === 46 || isAlnum(next) || (next === 46 && isDigit(line.charCodeAt(i + 4)))) {
      i += 2;
      continue;
    }
    // `:443` is a port; `status:403` is not.
    if (prev === 58 && !lower.startsWith('status:', i - 7) && !lower.startsWith('code:', i - 5)) {
      i += 2;
      continue;
    }
    const code = Number(line.slice(i, i + 3));
    let after = i + 3;
    while (after < n && after - i < 6 && (line[after] === ' ' || line[after] === '(')) after += 1;
    const byPhrase = reasonByPhrase.some((r) => r.code === code && lower.startsWith(r.phrase, after));
    const window = byPhrase ? '' : lower.slice(Math.max(0, i - 24), i);
    const byWord = !byPhrase && statusWords.some((w) => window.includes(w)) && !window.includes('exit');
    if ((byPhrase || byWord) && !codes.includes(code)) codes.push(code);
    i += 2;
  }
  if (lower.includes('": forbidden') && !codes.includes(403)) codes.push(403);
  if (lower.includes('": proxy authentication required') && !codes.includes(407)) codes.push(407);
  return codes;
}

/** The source address ACR reported: `client with IP '203.0.113.7' is not allowed access`. */
export function scanClientIp(line: string): string | null {
  const lower = line.toLowerCase();
  let at = lower.indexOf('client with ip');
  while (at !== -1) {
    let j = at + 'client with ip'.length;
    for (;;) {
      if (line.startsWith('\\u0027', j)) j += 6;
      else if (line[j] === ' ' || line[j] === "'" || line[j] === '"' || line[j] === '\\') j += 1;
      else break;
    }
    let end = j;
    while (end < line.length && end - j < 45 && /[0-9a-fA-F:.]/.test(line[end] ?? '')) end += 1;
    const ip = line.slice(j, end).replace(/[.:]+$/, '');
    if (isIPv4(ip) || isIPv6(ip)) return ip.toLowerCase();
    at = lower.indexOf('client with ip', end);
  }
  return null;
}

function pushUnique<T>(list: T[], value: T, limit = 50): void {
  if (list.length < limit && !list.includes(value)) list.push(value);
}

/** The lines of a text as offsets; a line is sliced only when something reads it. */
export class TextLines {
  /** Start offset of every line, then one past the end of the text. */
  private readonly starts: Int32Array;

  constructor(readonly text: string) {
    let count = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
    this.starts = new Int32Array(count + 1);
    let line = 1;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.starts[line] = at + 1;
      line += 1;
    }
    this.starts[count] = text.length + 1;
  }

  get count(): number {
    return this.starts.length - 1;
  }

  start(index: number): number {
    return this.starts[index] ?? this.text.length;
  }

  /** Offset of the line's end (its newline, or the end of the text). */
  end(index: number): number {
    return (this.starts[index + 1] ?? this.text.length + 1) - 1;
  }

  /** The line's text; '' past the last line. */
  line(index: number): string {
    return index < 0 || index >= this.count ? '' : this.text.slice(this.start(index), this.end(index));
  }
}

/** The next offset at or after `from` where `pattern` (global) matches, cached for monotonic calls. */
function nextMatch(pattern: RegExp): (from: number, text: string) => number {
  let found = -2;
  return (from, text) => {
    if (found === -1 || found >= from) return found;
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    found = match ? match.index : -1;
    return found;
  };
}

/**
 * Facts of a whole paste. `relevant` lines (those a rule matched) are always read and supply the failing
 * other hosts; other lines are read up to `factBudgetChars`, which bounds the work a hostile paste costs.
 */
export function extract(lines: TextLines, relevant: ReadonlySet<number>): Extraction {
  const facts: Extraction['facts'] = {
    regions: [],
    clientIp: null,
    ips: [],
    ports: [],
    statusCodes: [],
    otherHosts: [],
  };
  const registries = new Map<string, { host: RegistryHost; count: number; regions: Set<string> }>();
  const privateIps: string[] = [];
  const privateDnsServers: string[] = [];
  const publicIps: string[] = [];
  const regionalEndpoints: string[] = [];
  const images: Extraction['images'] = [];
  let privateLink = false;
  let publicFrontend = false;
  let hasAcr = false;
  let hasOther = false;
  const { text } = lines;
  // Cheap tests of what a line can hold, so that long pastes of short lines stay fast.
  const nextDot = nextMatch(/\./g);
  const nextColon = nextMatch(/:/g);
  const nextStatus = nextMatch(/[1-5][0-9][0-9]|": (?:forbidden|proxy)/gi);
  const nextClient = nextMatch(/client with ip/gi);
  const nextPort = nextMatch(/\bport[= ]\d/gi);
  const nextImage = nextMatch(/image "/g);
  const nextReference = nextMatch(/pull |from |image ["']|docker:\/\/|metadata for |\/manifests\//gi);
  let budget = factBudgetChars;
  for (let index = 0; index < lines.count; index += 1) {
    const start = lines.start(index);
    const end = lines.end(index);
    if (end <= start) continue;
    const isRelevant = relevant.has(index);
    if (!isRelevant && budget <= 0) continue;
    const dot = nextDot(start, text) !== -1 && nextDot(start, text) < end;
    const colon = nextColon(start, text) !== -1 && nextColon(start, text) < end;
    const status = nextStatus(start, text) !== -1 && nextStatus(start, text) < end;
    const image = nextImage(start, text) !== -1 && nextImage(start, text) < end;
    if (!dot && !colon && !status && !isRelevant) continue;
    if (!isRelevant) budget -= end - start;
    const line = text.slice(start, end);
    const mentions = dot ? scanHosts(line) : [];
    for (const m of mentions) {
      if (m.port !== null) pushUnique(facts.ports, m.port);
      if (m.region) pushUnique(facts.regions, m.region);
      if (m.kind === 'acr' || m.kind === 'acr-storage') hasAcr = true;
      if (m.registry) {
        const entry = registries.get(m.registry.loginServer) ?? {
          host: m.registry,
          count: 0,
          regions: new Set(),
        };
        entry.count += 1;
        if (m.registry.kind === 'data' && m.registry.region) entry.regions.add(m.registry.region);
        if (m.registry.kind === 'geo') pushUnique(regionalEndpoints, m.registry.host);
        registries.set(m.registry.loginServer, entry);
      }
      if (m.kind === 'acr' && m.privateLink) privateLink = true;
      if (m.kind === 'azure' && publicFrontendSuffixes.some((suffix) => m.host.endsWith(suffix)))
        publicFrontend = true;
    }
    const context = isRelevant ? contextOf(line, mentions) : null;
    if (context) for (const host of context.otherHosts) pushUnique(facts.otherHosts, host);
    if (mentions.some(isFailingOther)) hasOther = true;
    if (
      !hasOther &&
      image &&
      !mentions.some((m) => m.kind === 'acr') &&
      impliedDockerHub(line, line.toLowerCase())
    ) {
      hasOther = true;
    }
    const client = nextClient(start, text);
    if (facts.clientIp === null && client !== -1 && client < end) facts.clientIp = scanClientIp(line);
    if (dot || colon) {
      // An address after "proxy" on its line is the proxy's, not the registry's.
      const proxyAt = line.search(/proxy/i);
      for (const ip of scanIps(line)) {
        pushUnique(facts.ips, ip.ip);
        if (ip.port !== null) pushUnique(facts.ports, ip.port);
        const at = line.indexOf(ip.ip);
        const proxied = proxyAt !== -1 && at > proxyAt;
        const source = ip.source || isSourceAddress(line, at);
        if (source || proxied || ip.ip === facts.clientIp) continue;
        if (ip.port === 53 && (ip.private || ip.ip === azureDnsAddress)) pushUnique(privateDnsServers, ip.ip);
        else if (ip.private) pushUnique(privateIps, ip.ip);
        else if (ip.port !== 53 && ip.ip !== azureDnsAddress && isPublicIpv4(ip.ip))
          pushUnique(publicIps, ip.ip);
      }
    }
    const reference = nextReference(start, text);
    if (reference !== -1 && reference < end && images.length < maxImages) {
      for (const ref of scanImages(line)) if (images.length < maxImages) images.push({ ref, line: index });
    }
    if (status) for (const code of scanStatusCodes(line)) pushUnique(facts.statusCodes, code);
    const port = nextPort(start, text);
    if (port !== -1 && port < end) {
      for (const m of line.matchAll(/\bport[= ](\d{1,5})\b/gi)) {
        const value = Number(m[1]);
        if (value > 0 && value <= 65535) pushUnique(facts.ports, value);
      }
    }
  }
  // The client ACR reported may stand after the addresses seen first.
  const publicAnswers = publicIps.filter((ip) => ip !== facts.clientIp);
  return {
    facts: { ...facts, regionalEndpoints },
    registries: [...registries.values()],
    hasAcr,
    hasOther,
    privateIps: privateIps.filter((ip) => ip !== facts.clientIp),
    privateDnsServers,
    publicIps: publicAnswers,
    privateLink,
    publicFrontend,
    images,
  };
}

/** The data endpoints of a registry for the regions seen with it. */
export function dataEndpointsOf(host: RegistryHost, regions: Iterable<string>): string[] {
  return [...new Set(regions)].map((region) => dataEndpoint(host.loginServer, region));
}
