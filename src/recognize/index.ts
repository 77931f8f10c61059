/**
 * The recognizer: a pasted error (plain text, Teams HTML, terminal output) → a Diagnosis with the
 * symptoms, their evidence, the ranked causes and the facts found. Pure and linear in the paste.
 */
import type { Diagnosis } from '../contract';
import { AcrcheckError } from '../errors';
import { extract, TextLines } from './extract';
import { matchRules } from './match';
import { normalize } from './normalize';
import { rank } from './rank';
import { redact } from './redact';

export { normalize } from './normalize';
export { redact } from './redact';

/** The largest paste acrcheck reads: 2 MiB of UTF-8 (a Teams message holds at most about 28 KB). */
export const maxPasteBytes = 2 * 1024 * 1024;

/**
 * A byte count as people read it: `512 bytes`, `28.4 KB`, `3.2 MB` (binary multiples). Beside `than`, the
 * size it is compared with, it keeps as many decimals as it takes to differ (`2.000001 MB`, not `2.0 MB`).
 */
export function formatSize(bytes: number, than?: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [scale, unit] = bytes < 1024 * 1024 ? [1024, 'KB'] : [1024 * 1024, 'MB'];
  const value = bytes / scale;
  if (Number.isInteger(value)) return `${value} ${unit}`;
  let digits = 1;
  while (than !== undefined && than !== bytes && digits < 7 && Number(value.toFixed(digits)) === than / scale)
    digits += 1;
  return `${value.toFixed(digits).replace(/(\.\d*?[1-9])0+$/, '$1')} ${unit}`;
}

/**
 * Refuses text above `maxPasteBytes`.
 * @throws AcrcheckError `ACRCHECK_INPUT_TOO_LARGE` with `params.size` and `params.limit` as readable text
 */
export function assertPasteSize(bytes: number): void {
  if (bytes <= maxPasteBytes) return;
  const size = formatSize(bytes, maxPasteBytes);
  const limit = formatSize(maxPasteBytes);
  throw new AcrcheckError(
    'ACRCHECK_INPUT_TOO_LARGE',
    `the text is ${size} long; acrcheck reads at most ${limit}`,
    {
      size,
      limit,
    },
  );
}

/**
 * The most a paste may take before normalizing: Teams' HTML copy of a paste at the limit carries markup
 * (`<br>`, `&quot;`, code blocks) around the same text.
 */
const maxRawBytes = 4 * maxPasteBytes;

/**
 * Diagnoses a paste: normalizes it, masks secrets, matches the signature rules line by line and ranks
 * symptoms and causes. `facts` is filled in.
 * @throws AcrcheckError `ACRCHECK_INPUT_TOO_LARGE` when the text, without Teams' HTML markup, is above
 *   `maxPasteBytes`
 */
export function recognize(text: string): Diagnosis {
  const raw = Buffer.byteLength(text, 'utf8');
  if (raw > maxPasteBytes) {
    // Only what the user pasted counts, not the markup Teams wraps it in.
    if (raw > maxRawBytes) assertPasteSize(raw);
    assertPasteSize(Buffer.byteLength(normalize(text), 'utf8'));
  }
  const clean = redact(normalize(text));
  const lines = new TextLines(clean);
  const hits = matchRules(clean);
  const relevant = new Set<number>();
  for (const hit of hits) {
    for (const ref of hit.refs) {
      relevant.add(ref.line);
      if (ref.join !== null) relevant.add(ref.line + 1);
    }
  }
  return rank(lines, hits, extract(lines, relevant));
}
