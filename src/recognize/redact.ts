/**
 * Masks secrets in a paste before anything else reads it: passwords given as flags or assignments,
 * Authorization headers, bearer and refresh tokens (JWTs), connection strings, SAS signatures,
 * credentials in URLs, private keys. Everything the recognizer outputs comes from redacted text.
 * Every finder reads the same text and reports the spans to mask; they are merged and applied once.
 * Every pattern starts at a literal or is bounded, so a megabyte of hostile text stays linear.
 */

import { TextBuilder } from './text-builder';

/** What a secret is replaced with. */
export const redactedMark = '***';

// Names that are secrets exactly as written (after lower-casing and `_` → `-`).
// prettier-ignore
const secretNames = new Set([
  'password', 'pass', 'passwd', 'pwd', 'secret', 'token', 'key', 'sas', 'sig', 'auth', 'apikey',
  'identitytoken', 'registrytoken', 'connection-string', 'connectionstring',
]);
// Flags only: `-p` is docker's and az's password flag.
const secretFlagNames = new Set(['p']);
const secretNamePattern =
  /password|passwd|secret|signature|accountkey|access-?key|api-?key|token$|-key$|-pwd$/;
// prettier-ignore
const notSecretSuffixes = [
  '-stdin', '-file', '-path', '-type', '-name', '-id', '-enabled', '-mode', '-expiry', '-expires-in', '-url',
  '-uri', '-length', 'expose-token', 'public-key', '-policy', '-count',
];
// `password: x` is common in prose and logs; only unmistakable names count in that form.
const colonSecretPattern = /^(?:.*[-_])?(?:password|passwd|pwd|secret|client-?secret|api-?key|accountkey)$/;
const variablePattern = /^["']?\$(?:\{?[A-Za-z_][A-Za-z0-9_]*\}?|\()/;
// Words that follow a password flag in prose (Docker's `Using --password via the CLI is insecure`), never a secret.
const proseWords = new Set([
  'via',
  'is',
  'and',
  'or',
  'to',
  'the',
  'flag',
  'option',
  'instead',
  'with',
  'was',
  'not',
]);
// Flags whose value is `user:password` (podman, buildah, skopeo): the part after the first ':' is the secret.
const credentialFlagPattern = /^(?:.*-)?creds$|^(?:.*-)?credentials$/;

const flagPattern =
  /(^|[\s"'(])(-{1,2}[A-Za-z][A-Za-z0-9_-]{0,40})(=|[ ]{1,8})("[^"\n]{0,1024}"|'[^'\n]{0,1024}'|[^\s"']{1,2048})/gm;
const authorizationPattern =
  /\b(authorization\s{0,3}[:=]\s{0,3}(?:(?:bearer|basic|negotiate|token|ntlm)\s{1,3})?)[^\s"',;]{1,8192}/gi;
const schemeTokenPattern = /\b(bearer|basic)(\s{1,3})[A-Za-z0-9._~+/-]{16,8192}=*/gi;
// Led by the literal, so the engine can skip ahead; the word boundary is checked in `unlessGlued`.
const jwtPattern = /eyJ[A-Za-z0-9_\-.]{16,}/g;
const githubTokenPattern = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g;
const urlCredentialsPattern =
  /\b(https?|oci|docker|ssh|ftp|git\+https?):\/\/([^\s/:@"'<>]{1,256}):([^\s/@"'<>]{1,1024})@/gi;
const urlTokenPattern = /\b(https?):\/\/([^\s/:@"'<>]{20,1024})@/gi;
// Any name that may hold a secret contains one of these words: the scanner jumps from word to word.
const secretWordPattern = /password|passwd|pwd|secret|token|signature|sig|sas|auth|key|value/gi;
const stdinLinePattern =
  /\b(echo|printf)(\s{1,8}(?:-[a-zA-Z]{1,3}\s{1,8})?)("[^"\n]{0,1024}"|'[^'\n]{0,1024}'|[^\s|;&]{1,1024})/g;
const hereStringPattern = /(<<<\s{0,8})("[^"\n]{0,1024}"|'[^'\n]{0,1024}'|[^\s|;&]{1,1024})/g;
// `-pSECRET`, the password glued to docker's, podman's or az's `-p` (Ansible prints `docker login -u x -pSECRET`).
const gluedPasswordPattern = /(^|[\s"'(])-p([^\s"'=-][^\s"']{0,2047})/gm;
const loginPattern = /login/gi;
const cmdletPattern = /^(?:convertto|convertfrom|get|read|import|new)-[a-z]{1,40}$/i;
const secureStringPattern =
  /\b(convertto-securestring\s{1,8}(?:-string\s{1,8})?)("[^"\n]{0,1024}"|'[^'\n]{0,1024}'|[^\s|;&)]{1,1024})/gi;

const valueStops = new Set([...' \t\n;&,"\'<>)}]'].map((c) => c.charCodeAt(0)));

function isKeyChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 45 ||
    code === 46
  );
}

function canonicalName(name: string): string {
  return name.toLowerCase().replace(/^-+/, '').replace(/_/g, '-');
}

// Flag and key names repeat; each distinct one is judged once.
const judgedFlags = new Map<string, boolean>();
const judgedKeys = new Map<string, boolean>();

function isSecretName(name: string, flag: boolean): boolean {
  const judged = flag ? judgedFlags : judgedKeys;
  let secret = judged.get(name);
  if (secret === undefined) {
    const n = canonicalName(name);
    secret =
      secretNames.has(n) ||
      (flag && secretFlagNames.has(n)) ||
      (!notSecretSuffixes.some((suffix) => n.endsWith(suffix)) && secretNamePattern.test(n));
    if (judged.size < 4096) judged.set(name, secret);
  }
  return secret;
}

function keepsValue(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first === 45) return true;
  if (value.includes(redactedMark) || value === '""' || value === "''") return true;
  return (first === 36 || first === 34 || first === 39) && variablePattern.test(value);
}

function masked(value: string): string {
  const quote = value[0];
  return (quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)
    ? `${quote}${redactedMark}${quote}`
    : redactedMark;
}

/** A JWT glued to a longer word is not a token on its own. */
function isGlued(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1);
  return offset > 0 && (isKeyChar(before) || before === 36) && before !== 45 && before !== 46;
}

function skipSpaces(text: string, at: number, max: number): number {
  let i = at;
  while (i < text.length && i - at < max && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i += 1;
  return i;
}

/** End of a bare value: up to a space, quote, separator or bracket. */
function bareEnd(text: string, start: number, max: number): number {
  let end = start;
  while (end < text.length && end - start < max && !valueStops.has(text.charCodeAt(end))) end += 1;
  return end;
}

/** The value starting at `start`: a quoted string on one line, or a bare word. */
function quotedOrBare(text: string, start: number): [number, number] | null {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, start + 1);
    if (close !== -1 && close - start <= 1024 && !text.slice(start, close).includes('\n'))
      return [start, close + 1];
  }
  const end = bareEnd(text, start, 4096);
  return end > start ? [start, end] : null;
}

/** `$name` or `$env:name` at `keyStart`: a PowerShell variable, which may be assigned with spaces around `=`. */
function isPowerShellVariable(text: string, keyStart: number): boolean {
  return (
    text.charCodeAt(keyStart - 1) === 36 ||
    text.slice(Math.max(0, keyStart - 5), keyStart).toLowerCase() === '$env:'
  );
}

/** The span of a secret value after a key, or null when the key is not followed by one. */
function valueAfter(text: string, keyStart: number, keyEnd: number): [number, number] | null {
  const key = text.slice(keyStart, keyEnd);
  const next = text.charCodeAt(keyEnd);
  // KEY=value: environment variables, connection strings, SAS query strings, form bodies.
  if (next === 61) {
    if (text.charCodeAt(keyEnd + 1) === 61 || !isSecretName(key, false)) return null;
    return quotedOrBare(text, keyEnd + 1);
  }
  // PowerShell: `$env:ACR_TOKEN = "value"`, `$password = 'value'`.
  if ((next === 32 || next === 9) && isPowerShellVariable(text, keyStart)) {
    const equals = skipSpaces(text, keyEnd, 8);
    if (text.charCodeAt(equals) !== 61 || text.charCodeAt(equals + 1) === 61 || !isSecretName(key, false))
      return null;
    const span = quotedOrBare(text, skipSpaces(text, equals + 1, 8));
    // `$pw = ConvertTo-SecureString "…"`: the cmdlet is no secret; its string argument is found on its own.
    return span && cmdletPattern.test(text.slice(span[0], span[1])) ? null : span;
  }
  // "key": "value" in JSON, also escaped inside another string (\"key\": \"value\").
  const escaped = text.startsWith('\\"', keyEnd) && text.startsWith('\\"', keyStart - 2);
  if ((next === 34 && text.charCodeAt(keyStart - 1) === 34) || escaped) {
    const quote = escaped ? '\\"' : '"';
    const lowerKey = key.toLowerCase();
    const isSecret =
      isSecretName(key, false) ||
      (lowerKey === 'value' &&
        text
          .slice(Math.max(0, keyStart - 120), keyStart)
          .toLowerCase()
          .includes(`${quote}password`));
    if (!isSecret) return null;
    let i = skipSpaces(text, keyEnd + quote.length, 3);
    if (text[i] !== ':') return null;
    i = skipSpaces(text, i + 1, 3);
    if (!text.startsWith(quote, i)) return null;
    const start = i + quote.length;
    let end = start;
    while (end < text.length && end - start < 4096 && !text.startsWith(quote, end) && text[end] !== '\n') {
      end += !escaped && text[end] === '\\' ? 2 : 1;
    }
    return text.startsWith(quote, end) && end > start ? [start, end] : null;
  }
  // password: value, when the name stands on its own.
  if (next === 58) {
    const before = text.charCodeAt(keyStart - 1);
    const standsAlone =
      keyStart === 0 || before === 32 || before === 9 || before === 10 || before === 123 || before === 44;
    const start = skipSpaces(text, keyEnd + 1, 8);
    if (!standsAlone || start === keyEnd + 1 || !colonSecretPattern.test(canonicalName(key))) return null;
    const end = bareEnd(text, start, 1024);
    return end > start ? [start, end] : null;
  }
  return null;
}

/** A stretch of the text to replace by `mask`. */
interface Span {
  start: number;
  end: number;
  mask: string;
}

/** Every match of a global pattern, from the start of the text. */
function* matches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex += 1;
    yield m;
  }
}

/** The span of a match's last group `value`, when every group before it is kept. */
function tailSpan(m: RegExpExecArray, value: string, mask = masked(value)): Span {
  const end = m.index + m[0].length;
  return { start: end - value.length, end, mask };
}

/** `KEY=value`, `"key": "value"` and `password: value` with a secret key, in one pass over the text. */
function findPairs(text: string, spans: Span[]): void {
  secretWordPattern.lastIndex = 0;
  for (let m = secretWordPattern.exec(text); m; m = secretWordPattern.exec(text)) {
    let keyStart = m.index;
    while (keyStart > 0 && m.index - keyStart < 64 && isKeyChar(text.charCodeAt(keyStart - 1))) keyStart -= 1;
    let keyEnd = m.index + m[0].length;
    while (keyEnd < text.length && keyEnd - m.index < 64 && isKeyChar(text.charCodeAt(keyEnd))) keyEnd += 1;
    secretWordPattern.lastIndex = keyEnd;
    const span = valueAfter(text, keyStart, keyEnd);
    if (!span) continue;
    const [start, end] = span;
    const value = text.slice(start, end);
    if (keepsValue(value)) continue;
    spans.push({ start, end, mask: masked(value) });
    secretWordPattern.lastIndex = Math.max(end, keyEnd);
  }
}

/** PEM private key bodies. */
function findPrivateKeys(text: string, spans: Span[]): void {
  const begin = '-----BEGIN ';
  let nextEnd = 0;
  let at = text.indexOf(begin);
  while (at !== -1) {
    const header = text.indexOf('-----', at + begin.length);
    const label = header === -1 ? '' : text.slice(at + begin.length, header);
    if (header === -1 || header - at > 80 || !label.endsWith('PRIVATE KEY')) {
      at = text.indexOf(begin, at + begin.length);
      continue;
    }
    const bodyStart = header + 5;
    if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
    const bodyEnd = nextEnd === -1 ? text.length : nextEnd;
    spans.push({ start: bodyStart, end: bodyEnd, mask: `\n${redactedMark}\n` });
    at = text.indexOf(begin, bodyEnd);
  }
}

/** On a line that pipes a secret into `--password-stdin`, the piped value is the secret. */
function findStdinSecrets(text: string, spans: Span[]): void {
  let at = text.indexOf('password-stdin');
  while (at !== -1) {
    const start = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    for (const m of matches(stdinLinePattern, line)) {
      const value = m[3] ?? '';
      if (!keepsValue(value)) spans.push(shift(tailSpan(m, value), start));
    }
    for (const m of matches(hereStringPattern, line)) {
      const value = m[2] ?? '';
      if (!keepsValue(value)) spans.push(shift(tailSpan(m, value), start));
    }
    at = text.indexOf('password-stdin', end);
  }
}

/** A flag's secret value: `--password x`, `-p x`, or the password half of `--creds user:password`. */
function findFlagSecret(m: RegExpExecArray, spans: Span[]): void {
  const name = m[2] ?? '';
  const arg = m[4] ?? '';
  if (keepsValue(arg)) return;
  if (credentialFlagPattern.test(canonicalName(name))) {
    const quoted = arg.startsWith('"') || arg.startsWith("'");
    const inner = quoted ? arg.slice(1, -1) : arg;
    const colon = inner.indexOf(':');
    if (colon <= 0) {
      spans.push(tailSpan(m, arg));
      return;
    }
    const start = m.index + m[0].length - arg.length + (quoted ? 1 : 0) + colon + 1;
    const end = m.index + m[0].length - (quoted ? 1 : 0);
    if (end > start) spans.push({ start, end, mask: redactedMark });
    return;
  }
  if (isSecretName(name, true) && !proseWords.has(arg.toLowerCase())) spans.push(tailSpan(m, arg));
}

/** `-pSECRET` on a line that logs in somewhere (`docker login -u x -pSECRET`); elsewhere `-p…` is some other flag. */
function findGluedPasswords(text: string, spans: Span[]): void {
  loginPattern.lastIndex = 0;
  let login = loginPattern.exec(text);
  let lastLogin = -1;
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  for (const m of matches(gluedPasswordPattern, text)) {
    const at = m.index + (m[1]?.length ?? 0);
    while (login && login.index < at) {
      lastLogin = login.index;
      login = loginPattern.exec(text);
    }
    while (nextNewline !== -1 && nextNewline < at) {
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    const value = m[2] ?? '';
    if (lastLogin >= lineStart && !keepsValue(value)) spans.push(tailSpan(m, value, redactedMark));
  }
}

function shift(span: Span, by: number): Span {
  return { ...span, start: span.start + by, end: span.end + by };
}

/** Everything the masks cover, overlapping spans merged, in one new string. */
function applySpans(text: string, spans: Span[]): string {
  if (!spans.length) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = new TextBuilder(text);
  let last = 0;
  for (const span of spans) {
    if (span.end <= last) continue;
    const start = Math.max(span.start, last);
    out.copy(last, start);
    if (start === span.start) out.add(span.mask);
    last = span.end;
  }
  out.copy(last, text.length);
  return out.toString();
}

/**
 * Masks secrets: `-p`/`--password` values (`--password-stdin` is left as it is, the piped value is
 * masked), `Authorization:` headers, bearer/basic credentials, JWTs (ACR refresh and access tokens),
 * `AccountKey=`, `SharedAccessSignature=`, `sig=`, `*PASSWORD=`/`*SECRET=`/`*TOKEN=` assignments, JSON
 * secret fields, `https://user:pass@` URLs, GitHub tokens and PEM private keys. Linear in the text.
 */
export function redact(text: string): string {
  const spans: Span[] = [];
  const mask = (start: number, end: number): void => {
    spans.push({ start, end, mask: redactedMark });
  };
  findPrivateKeys(text, spans);
  for (const m of matches(jwtPattern, text))
    if (!isGlued(text, m.index)) mask(m.index, m.index + m[0].length);
  for (const m of matches(githubTokenPattern, text)) mask(m.index, m.index + m[0].length);
  // The groups before the secret are kept: the header name, the scheme and its space.
  for (const m of matches(authorizationPattern, text))
    mask(m.index + (m[1]?.length ?? 0), m.index + m[0].length);
  for (const m of matches(schemeTokenPattern, text)) {
    mask(m.index + (m[1]?.length ?? 0) + (m[2]?.length ?? 0), m.index + m[0].length);
  }
  // In `scheme://user:password@` and `scheme://token@`, the secret ends before the '@' that ends the match.
  for (const m of matches(urlCredentialsPattern, text)) {
    const end = m.index + m[0].length - 1;
    mask(end - (m[3]?.length ?? 0), end);
  }
  for (const m of matches(urlTokenPattern, text)) {
    const end = m.index + m[0].length - 1;
    mask(end - (m[2]?.length ?? 0), end);
  }
  for (const m of matches(flagPattern, text)) findFlagSecret(m, spans);
  findGluedPasswords(text, spans);
  for (const m of matches(secureStringPattern, text)) {
    const value = m[2] ?? '';
    if (!value.startsWith('-') && !keepsValue(value)) spans.push(tailSpan(m, value));
  }
  findStdinSecrets(text, spans);
  findPairs(text, spans);
  return applySpans(text, spans);
}
