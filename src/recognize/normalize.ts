/**
 * Turns what Teams and terminals deliver into plain lines: Teams' HTML (mentions, code blocks, entities),
 * ANSI colours, CRLF, zero-width characters, curly quotes, markdown fences and terminal line wrapping.
 * Every step is one linear pass; no pattern here can backtrack over more than a bounded window.
 */
import { replaceEach, TextBuilder } from './text-builder';

// Tags whose edges are line breaks in what the user saw.
// prettier-ignore
const blockTags = new Set([
  'p', 'div', 'br', 'pre', 'li', 'ul', 'ol', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote',
  'hr', 'section', 'article', 'header', 'footer', 'dd', 'dt', 'dl',
]);
// Table cells are separated by a space.
const cellTags = new Set(['td', 'th']);
// Tags that leave their text in place.
// prettier-ignore
const inlineTags = new Set([
  'span', 'code', 'b', 'i', 'u', 's', 'em', 'strong', 'a', 'font', 'img', 'small', 'mark', 'del', 'ins', 'sup',
  'sub', 'strike', 'tt', 'kbd', 'samp', 'var', 'cite', 'q', 'abbr', 'label', 'emoji', 'attachment', 'html',
  'body', 'tbody', 'thead', 'tfoot', 'colgroup', 'col', 'caption', 'meta', 'link', 'center', 'nobr', 'wbr',
  'systemtemplate', 'customemoji',
]);
// Tags whose content is not what the user wrote: Teams' `<at>` mentions of the bot, styles, scripts.
const dropTags = new Set(['at', 'style', 'script', 'head']);

// prettier-ignore
const namedEntities: Record<string, string> = {
  nbsp: '\u00a0', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", hellip: '\u2026', ndash: '\u2013',
  mdash: '\u2014', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', sbquo: '\u201a',
  bdquo: '\u201e', laquo: '\u00ab', raquo: '\u00bb', zwj: '\u200d', zwnj: '\u200c', shy: '\u00ad',
  ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', middot: '\u00b7', bull: '\u2022', copy: '\u00a9',
  reg: '\u00ae', trade: '\u2122', times: '\u00d7', deg: '\u00b0', euro: '\u20ac', auml: '\u00e4',
  ouml: '\u00f6', uuml: '\u00fc', Auml: '\u00c4', Ouml: '\u00d6', Uuml: '\u00dc', szlig: '\u00df',
  tab: '\t', newline: '\n', colon: ':', sol: '/', bsol: '\\', lowbar: '_', grave: '`', lpar: '(', rpar: ')',
  lsqb: '[', rsqb: ']', lbrace: '{', rbrace: '}', equals: '=', num: '#', excl: '!', quest: '?', period: '.',
  comma: ',', semi: ';', ast: '*', plus: '+', percnt: '%', dollar: '$', verbar: '|', commat: '@',
};

const entityPattern = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;
// SGR codes whose ESC was lost on the way (`[31mError[0m`); `[5m]` is left alone.
const bareSgrPattern = /\[(?:0|[0-9]{1,2}(?:;[0-9]{1,3}){0,4})m(?!\])/y;
// Characters chat clients and terminals add or swap: dropped (controls, zero-width, bidi marks), or
// replaced by their ASCII twin (exotic spaces, curly quotes, typographic hyphens, the ellipsis).
const charTable: readonly [string, string][] = [
  [
    '\u0000-\u0008\u000b-\u001f\u007f-\u0084\u0086-\u009f\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069',
    '',
  ],
  ['\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000', ' '],
  ['\u2018\u2019\u201a\u201b\u2032\u02bc\uff07', "'"],
  ['\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02', '"'],
  ['\u2010\u2011\u2012\u2212\ufe63\uff0d', '-'],
  ['\u2026', '...'],
  ['\u2028\u2029\u0085', '\n'],
];
let charReplacements: Map<number, string> | undefined;

/** The table above as code → replacement (`a-b` is a range), built on first use. */
function replacements(): Map<number, string> {
  if (charReplacements) return charReplacements;
  const map = new Map<number, string>();
  for (const [set, ascii] of charTable) {
    for (let i = 0; i < set.length; i += 1) {
      const from = set.charCodeAt(i);
      const range = set[i + 1] === '-' && i + 2 < set.length;
      const to = range ? set.charCodeAt(i + 2) : from;
      for (let code = from; code <= to; code += 1) map.set(code, ascii);
      if (range) i += 2;
    }
  }
  charReplacements = map;
  return map;
}

// Chat clients turn `--password` into `—password`; a dash that starts a word becomes `--` again.
const fencePattern = /^(?:`{3,}|~{3,})\s*[\w+.#-]*\s*$/;
const quotePrefixPattern = /^\s*(?:>\s?)+/;

/** Terminal widths at which a line of exactly that length is taken to continue on the next line. */
const terminalWidths = [80, 100, 120, 132, 160, 200];
// A line that starts like a new record (indented, a timestamp, a list item) is never a continuation.
const recordStartPattern = /^[\s\d[\-#>$*]/;

function isTagNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

function endsTagName(code: number): boolean {
  return (
    Number.isNaN(code) ||
    code === 62 ||
    code === 47 ||
    code === 32 ||
    code === 9 ||
    code === 10 ||
    code === 13
  );
}

/**
 * Removes known HTML tags. Only tag names in the tables above count, so `<registry>.azurecr.io` in plain
 * text survives. Every search for a closing `>` or `</tag` is cached, so the scan stays linear.
 */
function stripTags(text: string): string {
  if (!text.includes('<')) return text;
  const out = new TextBuilder(text);
  let last = 0;
  let nextGt = 0;
  const nextClose = new Map<string, number>();
  let nextCommentEnd = 0;
  let i = text.indexOf('<');
  while (i !== -1) {
    if (text.startsWith('!--', i + 1)) {
      if (nextCommentEnd !== -1 && nextCommentEnd < i + 4) nextCommentEnd = text.indexOf('-->', i + 4);
      if (nextCommentEnd === -1) break;
      out.copy(last, i);
      last = nextCommentEnd + 3;
      i = text.indexOf('<', last);
      continue;
    }
    let start = i + 1;
    const closing = text.charCodeAt(start) === 47;
    if (closing) start += 1;
    let end = start;
    while (end < text.length && end - start < 16 && isTagNameChar(text.charCodeAt(end))) end += 1;
    const name = text.slice(start, end).toLowerCase();
    const known = blockTags.has(name) || cellTags.has(name) || inlineTags.has(name) || dropTags.has(name);
    if (!name || !known || !endsTagName(text.charCodeAt(end))) {
      i = text.indexOf('<', i + 1);
      continue;
    }
    if (nextGt !== -1 && nextGt < end) nextGt = text.indexOf('>', end);
    if (nextGt === -1) break;
    out.copy(last, i);
    out.add(blockTags.has(name) ? '\n' : cellTags.has(name) ? ' ' : '');
    last = nextGt + 1;
    if (!closing && dropTags.has(name) && text.charCodeAt(nextGt - 1) !== 47) {
      let close = nextClose.get(name) ?? 0;
      if (close !== -1 && close < last) close = closingTagAt(text, name, last);
      nextClose.set(name, close);
      if (close === -1) {
        last = text.length;
      } else {
        if (nextGt !== -1 && nextGt < close) nextGt = text.indexOf('>', close);
        last = nextGt === -1 ? text.length : nextGt + 1;
      }
    }
    i = last >= text.length ? -1 : text.indexOf('<', last);
  }
  out.copy(last, text.length);
  return out.toString();
}

/** Length of the escape sequence at `at` (ESC or the caret notation `^[` some terminals paste). */
function escapeLength(text: string, at: number): number {
  const intro = text.charCodeAt(at) === 27 ? 1 : 2;
  const kind = text.charCodeAt(at + intro);
  let j = at + intro + 1;
  if (kind === 91) {
    // CSI: parameters 0x30–0x3f, intermediates 0x20–0x2f, one final byte 0x40–0x7e.
    while (j < text.length && j - at < 64 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j += 1;
    while (j < text.length && j - at < 72 && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j += 1;
    const final = text.charCodeAt(j);
    return final >= 0x40 && final <= 0x7e ? j + 1 - at : intro;
  }
  if (intro === 2) return 0;
  if (kind === 93) {
    // OSC (titles, hyperlinks): up to BEL or ESC \.
    while (j < text.length && j - at < 4096) {
      const c = text.charCodeAt(j);
      if (c === 7) return j + 1 - at;
      if (c === 27) return text.charCodeAt(j + 1) === 92 ? j + 2 - at : j - at;
      j += 1;
    }
    return j - at;
  }
  return kind >= 0x40 && kind <= 0x5f ? 2 : 1;
}

// Case-insensitive searches for a closing tag, without lower-casing the whole text.
const closingTags = new Map([...dropTags].map((name) => [name, new RegExp(`</${name}`, 'gi')]));

/** Where `</name` next appears at or after `from` (any case), or -1. */
function closingTagAt(text: string, name: string, from: number): number {
  const pattern = closingTags.get(name);
  if (!pattern) return -1;
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return replaceEach(text, entityPattern, ([, dec, hex, name]) => {
    if (name !== undefined) return namedEntities[name] ?? namedEntities[name.toLowerCase()] ?? null;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
    return String.fromCodePoint(code);
  });
}

function continuesAt(line: string, next: string | undefined, width: number): boolean {
  return line.length === width && !line.endsWith(' ') && !!next && !recordStartPattern.test(next);
}

/**
 * A terminal breaks a long line at its width without a newline of its own; copied, the pieces arrive as
 * lines of exactly that width. Glue such a line to the next unless the next one starts a new record.
 * Only standard widths count, so that ordinary logs whose lines happen to share a length stay apart
 * (needles cut at any other width are still matched across the break by the matcher).
 */
function wrapWidth(text: string): number | null {
  let width: number | null = null;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    if (end === -1) break;
    const length = end - start;
    if (terminalWidths.includes(length) && (width === null || length > width)) {
      const nextEnd = text.indexOf('\n', end + 1);
      const line = text.slice(start, end);
      const next = text.slice(end + 1, nextEnd === -1 ? text.length : nextEnd);
      if (continuesAt(line, next, length)) width = length;
    }
    start = end + 1;
  }
  return width;
}

function cleanLine(line: string): string {
  let value = line.includes('>') ? line.replace(quotePrefixPattern, '') : line;
  if (value.includes('`')) {
    if (fencePattern.test(value.trim())) return '';
    value = value.replace(/`/g, '');
  } else if (value.includes('~~~') && fencePattern.test(value.trim())) {
    return '';
  }
  return value.trimEnd();
}

/** Whether a line starts (after spaces) with a quote marker or a fence. */
function startsWithMark(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 32) return c === 62 || c === 126;
  }
  return false;
}

/** Line by line: clean what must change, glue wrapped lines; unchanged stretches are copied whole. */
function cleanLines(text: string): string {
  const width = wrapWidth(text);
  const hasMarks = text.includes('~') || text.includes('>');
  let nextTick = text.indexOf('`');
  const out = new TextBuilder(text);
  let copyFrom = 0;
  let start = 0;
  let pending: string | null = null;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (nextTick !== -1 && nextTick < start) nextTick = text.indexOf('`', start);
    const dirty =
      text.charCodeAt(end - 1) === 32 ||
      (nextTick !== -1 && nextTick < end) ||
      (hasMarks && startsWithMark(text, start, end));
    const line: string | null =
      dirty || pending !== null || width !== null ? cleanLine(text.slice(start, end)) : null;
    if (line !== null && width !== null) {
      const nextEnd = end < text.length ? text.indexOf('\n', end + 1) : -1;
      const next =
        end < text.length ? text.slice(end + 1, nextEnd === -1 ? text.length : nextEnd) : undefined;
      const raw = text.slice(start, end);
      if (continuesAt(raw, next, width)) {
        out.copy(copyFrom, start);
        pending = (pending ?? '') + line;
        copyFrom = end + 1;
        start = end + 1;
        continue;
      }
    }
    if (pending !== null || (line !== null && line !== text.slice(start, end))) {
      out.copy(copyFrom, start);
      out.add((pending ?? '') + (line ?? ''));
      pending = null;
      copyFrom = end;
    }
    start = end + 1;
  }
  if (copyFrom === 0) return text;
  out.copy(copyFrom, text.length);
  return out.toString();
}

function isAsciiLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/**
 * One pass over characters: CR and CRLF become LF, ANSI escapes and colour codes that lost their ESC go,
 * control and zero-width characters go, exotic spaces, curly quotes and typographic hyphens become
 * ASCII, and a dash that starts a flag (`—password`, as chat clients write `--password`) becomes `--`.
 * Printable ASCII, nearly everything, is skipped over without a look-up.
 */
function cleanChars(text: string): string {
  const map = replacements();
  const out = new TextBuilder(text);
  let last = 0;
  const drop = (from: number, to: number, instead: string): void => {
    out.copy(last, from);
    out.add(instead);
    last = to;
  };
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 32 && code < 127 && code !== 91 && code !== 94) continue;
    if (code === 10) continue;
    if (code === 27 || (code === 94 && text.startsWith('^[[', i))) {
      const length = escapeLength(text, i);
      if (length > 0) {
        drop(i, i + length, '');
        i += length - 1;
      }
      continue;
    }
    if (code === 91) {
      bareSgrPattern.lastIndex = i;
      if (bareSgrPattern.test(text)) {
        drop(i, bareSgrPattern.lastIndex, '');
        i = bareSgrPattern.lastIndex - 1;
      }
      continue;
    }
    if (code === 94) continue;
    if (code === 13) {
      drop(i, i + 1, text.charCodeAt(i + 1) === 10 ? '' : '\n');
      continue;
    }
    if (code === 0x2013 || code === 0x2014) {
      const before = text[i - 1] ?? ' ';
      if (/[\s("'=]/.test(before) && isAsciiLetter(text.charCodeAt(i + 1))) drop(i, i + 1, '--');
      continue;
    }
    const ascii = map.get(code);
    if (ascii !== undefined) drop(i, i + 1, ascii);
  }
  if (last === 0) return text;
  out.copy(last, text.length);
  return out.toString();
}

/**
 * Plain lines from a paste: HTML tags and entities decoded (Teams' `<at>` mentions removed), ANSI and
 * control characters dropped, CR/CRLF as LF, zero-width characters removed, curly quotes and dashes as
 * ASCII, markdown fences and quote markers gone, terminal-wrapped lines joined again, trailing space
 * trimmed. Linear in the length of the text.
 */
export function normalize(text: string): string {
  return cleanLines(cleanChars(decodeEntities(stripTags(text))));
}
