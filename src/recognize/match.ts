/**
 * Finds which signature rules match which lines, in one pass over the text per mode: every needle of
 * every rule is compiled into one Aho–Corasick automaton (a dense DFA over the needles' characters,
 * case folded), so the cost is linear in the text whatever the number of rules. A needle split by a
 * line wrap also matches, either across a space (word wrap) or glued (a terminal's hard wrap).
 */
import { signatures, type Signature } from '../catalogue/signatures';

/** One line (or a line glued to the next) where a rule matched. */
export interface LineRef {
  line: number;
  /** Offset just past the matching needle, in the line (or in the line glued to the next). */
  end: number;
  needleLength: number;
  /** How the next line is glued on for a needle that crosses a line break. */
  join: '' | ' ' | null;
}

/** A rule and where it matched (the first lines, in order). */
export interface RuleHit {
  rule: Signature;
  refs: LineRef[];
}

/** Needles shorter than this never match across a line break (too likely by chance). */
const minCrossingNeedle = 10;
/** Lines remembered per rule; enough to judge which host a failure is about. */
const maxRefsPerRule = 16;

interface Pattern {
  text: string;
  word: boolean;
}

interface Compiled {
  rules: readonly Signature[];
  patterns: Pattern[];
  /** Rule indexes for which a pattern is a primary needle. */
  rulesByPattern: number[][];
  withIds: (number[] | null)[];
  withoutIds: (number[] | null)[];
  classOf: Uint16Array;
  alphabet: number;
  delta: Int32Array;
  outStart: Int32Array;
  outLength: Int32Array;
  outputs: Int32Array;
}

let compiled: Compiled | undefined;

function compile(rules: readonly Signature[]): Compiled {
  const patterns: Pattern[] = [];
  const ids = new Map<string, number>();
  const idOf = (text: string, word: boolean): number => {
    const needle = text.toLowerCase();
    const key = `${word ? 'w' : 's'}:${needle}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = patterns.length;
      patterns.push({ text: needle, word });
      ids.set(key, id);
    }
    return id;
  };
  const rulesByPatternMap = new Map<number, number[]>();
  const withIds: (number[] | null)[] = [];
  const withoutIds: (number[] | null)[] = [];
  rules.forEach((rule, r) => {
    const word = rule.word === true;
    for (const needle of rule.needles) {
      const id = idOf(needle, word);
      const list = rulesByPatternMap.get(id) ?? [];
      list.push(r);
      rulesByPatternMap.set(id, list);
    }
    withIds.push(rule.with ? rule.with.map((n) => idOf(n, false)) : null);
    withoutIds.push(rule.without ? rule.without.map((n) => idOf(n, false)) : null);
  });
  const rulesByPattern = patterns.map((_, id) => rulesByPatternMap.get(id) ?? []);

  // Character classes: class 0 is every character no needle uses; upper case folds onto lower case.
  const classOf = new Uint16Array(65536);
  let alphabet = 1;
  for (const { text } of patterns) {
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      if (ch.length !== 1 || classOf[code]) continue;
      classOf[code] = alphabet;
      const upper = ch.toUpperCase();
      if (upper.length === 1 && upper !== ch) classOf[upper.charCodeAt(0)] = alphabet;
      alphabet += 1;
    }
  }

  // The trie.
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  patterns.forEach(({ text }, id) => {
    let node = 0;
    for (let i = 0; i < text.length; i += 1) {
      const cls = classOf[text.charCodeAt(i)] ?? 0;
      let next = children[node]?.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push([]);
        children[node]?.set(cls, next);
      }
      node = next;
    }
    own[node]?.push(id);
  });

  // Breadth first: failure links folded into a dense transition table, outputs merged along them.
  const nodes = children.length;
  const delta = new Int32Array(nodes * alphabet);
  const fail = new Int32Array(nodes);
  const merged: number[][] = own.map((list) => [...list]);
  const queue: number[] = [];
  for (const [cls, child] of children[0] ?? []) {
    delta[cls] = child;
    queue.push(child);
  }
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] ?? 0;
    const f = fail[node] ?? 0;
    merged[node] = [...(merged[node] ?? []), ...(merged[f] ?? [])];
    for (let cls = 0; cls < alphabet; cls += 1) {
      const child = children[node]?.get(cls);
      if (child === undefined) {
        delta[node * alphabet + cls] = delta[f * alphabet + cls] ?? 0;
      } else {
        delta[node * alphabet + cls] = child;
        fail[child] = delta[f * alphabet + cls] ?? 0;
        queue.push(child);
      }
    }
  }
  const outStart = new Int32Array(nodes);
  const outLength = new Int32Array(nodes);
  const flat: number[] = [];
  merged.forEach((list, node) => {
    outStart[node] = flat.length;
    outLength[node] = list.length;
    flat.push(...list);
  });
  return {
    rules,
    patterns,
    rulesByPattern,
    withIds,
    withoutIds,
    classOf,
    alphabet,
    delta,
    outStart,
    outLength,
    outputs: Int32Array.from(flat),
  };
}

/** Characters that glue a word to its neighbours: letters, digits, and the joints of paths and hosts. */
function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    code === 95 ||
    code === 47 ||
    code === 46 ||
    code === 64
  );
}

/** Patterns found on their own line, in text order, as parallel arrays (no object per find). */
class Finds {
  line = new Int32Array(1024);
  pattern = new Int32Array(1024);
  end = new Int32Array(1024);
  length = 0;

  push(line: number, pattern: number, end: number): void {
    if (this.length === this.line.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.line = grow(this.line);
      this.pattern = grow(this.pattern);
      this.end = grow(this.end);
    }
    this.line[this.length] = line;
    this.pattern[this.length] = pattern;
    this.end[this.length] = end;
    this.length += 1;
  }
}

/** A pattern found across a line break, reported against the line it starts on. */
interface Crossing {
  line: number;
  pattern: number;
  end: number;
  join: '' | ' ';
}

/**
 * Scans the text once. `glue` ' ': a line break reads as a space (finds within a line, and across a word
 * wrap); '': a line break is skipped (only finds cut by a terminal's hard wrap are reported).
 */
function scan(c: Compiled, text: string, glue: ' ' | '', finds: Finds, crossings: Crossing[]): void {
  const { classOf, alphabet, delta, outStart, outLength, outputs, patterns } = c;
  const spaceClass = classOf[32] ?? 0;
  const lastLine = new Int32Array(patterns.length).fill(-1);
  const lastCross = new Int32Array(patterns.length).fill(-2);
  let state = 0;
  let line = 0;
  let lineStart = 0;
  let previousLineStart = 0;
  // Positions in the text without line breaks (for the glued mode).
  let virtual = 0;
  let lineStartVirtual = 0;
  let previousLineStartVirtual = 0;
  const n = text.length;
  for (let i = 0; i < n; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      if (glue === ' ') {
        state = delta[state * alphabet + spaceClass] ?? 0;
        if (outLength[state]) emit(i, virtual);
      }
      line += 1;
      previousLineStart = lineStart;
      lineStart = i + 1;
      previousLineStartVirtual = lineStartVirtual;
      lineStartVirtual = virtual;
      continue;
    }
    state = delta[state * alphabet + (classOf[code] ?? 0)] ?? 0;
    if (outLength[state]) emit(i, virtual);
    virtual += 1;
  }

  function emit(i: number, v: number): void {
    const from = outStart[state] ?? 0;
    const to = from + (outLength[state] ?? 0);
    for (let k = from; k < to; k += 1) {
      const p = outputs[k] ?? 0;
      const pattern = patterns[p];
      if (!pattern) continue;
      const length = pattern.text.length;
      if (glue === ' ') {
        const start = i - length + 1;
        if (pattern.word && !wordBounded(start, i)) continue;
        if (start >= lineStart) {
          if (lastLine[p] === line) continue;
          lastLine[p] = line;
          finds.push(line, p, i - lineStart + 1);
        } else if (start >= previousLineStart && length >= minCrossingNeedle && lastCross[p] !== line - 1) {
          lastCross[p] = line - 1;
          crossings.push({ line: line - 1, pattern: p, end: i - previousLineStart + 1, join: ' ' });
        }
      } else {
        const start = v - length + 1;
        if (start >= lineStartVirtual || start < previousLineStartVirtual || length < minCrossingNeedle)
          continue;
        if (pattern.word || lastCross[p] === line - 1) continue;
        lastCross[p] = line - 1;
        crossings.push({ line: line - 1, pattern: p, end: v - previousLineStartVirtual + 1, join: '' });
      }
    }
  }

  // A full stop that ends a sentence (`… im Spoke-VNet.`) ends a word; one inside a host name does not.
  function wordBounded(start: number, end: number): boolean {
    const after = text.charCodeAt(end + 1);
    const ends = !isWordChar(after) || (after === 46 && !isWordChar(text.charCodeAt(end + 2)));
    return ends && !isWordChar(text.charCodeAt(start - 1));
  }
}

/**
 * Every rule that matches somewhere in `text` (normalized, redacted; lines separated by `\n`), with
 * the lines it matched on. Linear in the length of the text.
 */
export function matchRules(text: string, rules: readonly Signature[] = signatures): RuleHit[] {
  const c = rules === signatures ? (compiled ??= compile(rules)) : compile(rules);
  const finds = new Finds();
  const crossings: Crossing[] = [];
  scan(c, text, ' ', finds, crossings);
  if (text.includes('\n')) scan(c, text, '', finds, crossings);

  const hits = new Map<number, RuleHit>();
  const present = new Int32Array(c.patterns.length).fill(-1);
  const evaluated = new Int32Array(c.rules.length).fill(-1);
  let unit = 0;

  const check = (r: number, line: number, pattern: number, end: number, join: '' | ' ' | null): void => {
    if (evaluated[r] === unit) return;
    evaluated[r] = unit;
    const withIds = c.withIds[r];
    const withoutIds = c.withoutIds[r];
    if (withIds && !withIds.some((id) => present[id] === unit)) return;
    if (withoutIds && withoutIds.some((id) => present[id] === unit)) return;
    const rule = c.rules[r];
    if (!rule) return;
    let hit = hits.get(r);
    if (!hit) {
      hit = { rule, refs: [] };
      hits.set(r, hit);
    }
    if (hit.refs.length < maxRefsPerRule) {
      hit.refs.push({ line, end, needleLength: c.patterns[pattern]?.text.length ?? 0, join });
    }
  };

  // Finds on their own line come in line order: evaluate each line's group once.
  const { line: lineOf, pattern: patternOf, end: endOf } = finds;
  for (let i = 0; i < finds.length;) {
    const line = lineOf[i] ?? 0;
    let j = i;
    unit += 1;
    while (j < finds.length && lineOf[j] === line) {
      present[patternOf[j] ?? 0] = unit;
      j += 1;
    }
    for (let k = i; k < j; k += 1) {
      const pattern = patternOf[k] ?? 0;
      for (const r of c.rulesByPattern[pattern] ?? []) check(r, line, pattern, endOf[k] ?? 0, null);
    }
    i = j;
  }

  // A needle across a line break is judged with both lines' needles present.
  const firstOfLine = (line: number): number => {
    let lo = 0;
    let hi = finds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((lineOf[mid] ?? 0) < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const cross of crossings) {
    unit += 1;
    for (let k = firstOfLine(cross.line); k < finds.length && (lineOf[k] ?? 0) <= cross.line + 1; k += 1) {
      present[patternOf[k] ?? 0] = unit;
    }
    present[cross.pattern] = unit;
    for (const r of c.rulesByPattern[cross.pattern] ?? [])
      check(r, cross.line, cross.pattern, cross.end, cross.join);
  }
  return [...hits.entries()].sort(([a], [b]) => a - b).map(([, hit]) => hit);
}
