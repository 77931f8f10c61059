/**
 * Image references in a line (`redis:7.2`, `mcr.microsoft.com/dotnet/aspnet:8.0`, `myreg.azurecr.io/app@sha256:…`)
 * and in registry API URLs (`https://host/v2/<repository>/manifests/<tag>`), taken apart without regexes that
 * could backtrack: each token is cut at the first character no reference has, then split by hand.
 */
import { dockerHubHosts, imagePrefixes } from '../catalogue/signatures';

/** An image reference taken apart. `host` is null for Docker Hub's short form (`redis:7.2`, `bitnami/redis`). */
export interface ImageParts {
  host: string | null;
  repository: string;
  tag: string | null;
  digest: string | null;
}

/** No reference is longer (a host, a deep repository path and a digest). */
const maxReference = 512;
/** No real line names more images than this. */
const maxPerLine = 16;

const referenceChars = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@')
  referenceChars[c.charCodeAt(0)] = 1;

const componentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const hostPattern = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::[0-9]{1,5})?$/;
const tagPattern = /^\w[\w.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;
const dockerHub: ReadonlySet<string> = new Set(dockerHubHosts);

/** A reference's parts, or null when `ref` is not one with a tag, a digest or a registry host. */
export function imageParts(ref: string): ImageParts | null {
  if (!ref || ref.length > maxReference) return null;
  const at = ref.indexOf('@');
  const digest = at === -1 ? null : ref.slice(at + 1);
  if (digest !== null && !digestPattern.test(digest)) return null;
  let rest = at === -1 ? ref : ref.slice(0, at);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | null = null;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    if (!tagPattern.test(tag)) return null;
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first.toLowerCase() : null;
  if (host !== null && !hostPattern.test(host)) return null;
  const path = hasHost ? parts.slice(1) : parts;
  if (!path.length || !path.every((c) => componentPattern.test(c))) return null;
  if (host === null && tag === null && digest === null) return null;
  return { host, repository: path.join('/'), tag, digest };
}

/** True for Docker Hub, named or implied (no host). */
export function isDockerHub(host: string | null): boolean {
  return host === null || dockerHub.has(host);
}

/** The reference written out again: `host/repository:tag@digest`, without the parts it lacks. */
export function formatImage(parts: ImageParts): string {
  return `${parts.host ? `${parts.host}/` : ''}${parts.repository}${parts.tag ? `:${parts.tag}` : ''}${
    parts.digest ? `@${parts.digest}` : ''
  }`;
}

function tokenAt(line: string, start: number): string {
  let end = start;
  while (end < line.length && end - start < maxReference) {
    const c = line.charCodeAt(end);
    if (c >= 128 || !referenceChars[c]) break;
    end += 1;
  }
  let token = line.slice(start, end);
  while (token.endsWith('.') || token.endsWith(':') || token.endsWith('/')) token = token.slice(0, -1);
  return token;
}

/** `https://host/v2/<repository>/manifests/<tag>` → `host/repository:tag`. */
function fromManifestUrl(line: string, lower: string, at: number): string | null {
  const from = Math.max(0, at - maxReference);
  const schemeAt = lower.slice(from, at).lastIndexOf('://');
  if (schemeAt === -1) return null;
  const url = line.slice(from + schemeAt + 3, at);
  const v2 = url.indexOf('/v2/');
  if (v2 <= 0) return null;
  const host = url.slice(0, v2);
  const repository = url.slice(v2 + 4);
  const reference = tokenAt(line, at + '/manifests/'.length);
  if (!reference) return null;
  const ref = `${host}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  return imageParts(ref) ? ref : null;
}

/** Image references on one line, in the order they stand, each once. */
export function scanImages(line: string): string[] {
  const found: string[] = [];
  const lower = line.toLowerCase();
  const add = (ref: string | null): void => {
    if (ref && found.length < maxPerLine && !found.includes(ref) && imageParts(ref)) found.push(ref);
  };
  const hits: { at: number; ref: string | null }[] = [];
  for (const prefix of imagePrefixes) {
    for (let at = lower.indexOf(prefix); at !== -1 && hits.length < maxPerLine * 4;) {
      const start = at + prefix.length;
      hits.push({ at, ref: tokenAt(line, start) });
      at = lower.indexOf(prefix, start);
    }
  }
  for (let at = lower.indexOf('/manifests/'); at !== -1 && hits.length < maxPerLine * 8;) {
    hits.push({ at, ref: fromManifestUrl(line, lower, at) });
    at = lower.indexOf('/manifests/', at + 1);
  }
  hits.sort((a, b) => a.at - b.at);
  for (const hit of hits) add(hit.ref);
  return found;
}
