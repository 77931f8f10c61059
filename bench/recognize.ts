import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { notNetworkKinds, symptomIds, type CauseId } from '../src/contract';
import { packageRoot } from '../src/paths';
import { recognize } from '../src/recognize';
import type { Bench } from './index';

/** The speed target from issue 2: a megabyte of hostile text, well under 100 ms. */
const adversarialTargetMs = 100;

const pastesDir = (): string => join(packageRoot(), 'test', 'fixtures', 'pastes');

interface Paste {
  file: string;
  folder: string;
  text: string;
}

function loadPastes(): Paste[] {
  const dir = pastesDir();
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((folder) =>
      readdirSync(join(dir, folder.name)).map((file) => ({
        file: `${folder.name}/${file}`,
        folder: folder.name,
        text: readFileSync(join(dir, folder.name, file), 'utf8'),
      })),
    )
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** Real pastes, one after another, cut to `bytes` characters. */
function realistic(pastes: readonly Paste[], bytes: number): string {
  const corpus = pastes.map((p) => p.text).join('\n');
  return corpus.repeat(Math.ceil(bytes / corpus.length)).slice(0, bytes);
}

/** A megabyte of what would hurt a backtracking or per-line-allocating recognizer, in 64 KB stretches. */
function adversarial(bytes: number): string {
  const units = [
    'a.',
    'x.azurecr.io ',
    'no such hos',
    '": eof\n',
    'x\n',
    '<p',
    '&#',
    '\u001b[',
    'eyJ',
    ' -p x',
    '"a":"',
    '10.0.0.1:443 ',
    '403 ',
    'ab:cd:',
    'password=',
    'https://a:b',
  ];
  const stretch = Math.ceil(bytes / units.length);
  return units
    .map((unit) => unit.repeat(Math.ceil(stretch / unit.length)).slice(0, stretch))
    .join('')
    .slice(0, bytes);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function time(text: string, runs: number): { p50: number; p95: number; mean: number } {
  for (let i = 0; i < 3; i += 1) recognize(text);
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    recognize(text);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
  };
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

function speed(pastes: readonly Paste[]): string {
  const cases = [
    { name: '1 KB (a paste)', text: realistic(pastes, 1024), runs: 2000 },
    { name: '28 KB (a full Teams message)', text: realistic(pastes, 28 * 1024), runs: 300 },
    { name: '1 MB (real pastes)', text: realistic(pastes, 1024 * 1024), runs: 20 },
    { name: '1 MB adversarial', text: adversarial(1024 * 1024), runs: 20 },
  ];
  const rows = cases.map(({ name, text, runs }) => {
    const bytes = Buffer.byteLength(text);
    const t = time(text, runs);
    return [
      name,
      bytes,
      runs,
      t.p50.toFixed(2),
      t.p95.toFixed(2),
      (bytes / 1e6 / (t.mean / 1000)).toFixed(1),
    ];
  });
  const adversarialP95 = Number(rows[3]?.[4]);
  const verdict = adversarialP95 < adversarialTargetMs ? 'met' : 'MISSED';
  return `${table(['paste', 'bytes', 'runs', 'p50 ms', 'p95 ms', 'MB/s'], rows)}\n\ntarget: adversarial 1 MB p95 < ${adversarialTargetMs} ms: ${verdict}\n`;
}

interface Expectation {
  cause: CauseId | null;
}

function accuracy(pastes: readonly Paste[]): string {
  const expected = JSON.parse(readFileSync(join(pastesDir(), 'expected.json'), 'utf8')) as Record<
    string,
    Expectation
  >;
  const symptomFolders: readonly string[] = symptomIds;
  const kindFolders: readonly string[] = notNetworkKinds;
  const score = { verdict: { ok: 0, all: 0 }, symptom: { ok: 0, all: 0 }, cause: { ok: 0, all: 0 } };
  const misses: string[] = [];
  for (const paste of pastes) {
    const d = recognize(paste.text);
    const wantVerdict = symptomFolders.includes(paste.folder)
      ? 'network'
      : kindFolders.includes(paste.folder)
        ? `not-network/${paste.folder}`
        : 'unrecognized';
    const gotVerdict = d.verdict === 'not-network' ? `not-network/${d.kind}` : d.verdict;
    score.verdict.all += 1;
    if (gotVerdict === wantVerdict) score.verdict.ok += 1;
    else misses.push(`${paste.file}: verdict ${gotVerdict}, expected ${wantVerdict}`);
    if (symptomFolders.includes(paste.folder)) {
      score.symptom.all += 1;
      if (d.symptoms[0]?.id === paste.folder) score.symptom.ok += 1;
      else misses.push(`${paste.file}: top symptom ${d.symptoms[0]?.id ?? 'none'}`);
    }
    const cause = expected[paste.file]?.cause;
    if (cause) {
      score.cause.all += 1;
      if (d.causes[0]?.id === cause) score.cause.ok += 1;
      else misses.push(`${paste.file}: top cause ${d.causes[0]?.id ?? 'none'}, expected ${cause}`);
    }
  }
  const row = (name: string, { ok, all }: { ok: number; all: number }): (string | number)[] => [
    name,
    ok,
    all,
    all ? ((100 * ok) / all).toFixed(1) : '-',
  ];
  const rows = [
    row('verdict (and kind)', score.verdict),
    row('top symptom (network pastes)', score.symptom),
    row('top cause (pastes with one)', score.cause),
  ];
  const missed = misses.length ? `\nmisses:\n${misses.map((m) => `  ${m}`).join('\n')}\n` : '';
  return `${table(['accuracy over test/fixtures/pastes', 'correct', 'of', '%'], rows)}\n${missed}`;
}

/** Recognizer throughput and latency by paste size, and its accuracy over the paste corpus. */
export const recognizeBench: Bench = {
  name: 'recognize',
  run() {
    const pastes = loadPastes();
    process.stdout.write(`${speed(pastes)}\n${accuracy(pastes)}`);
    return Promise.resolve();
  },
};
