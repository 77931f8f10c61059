import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

import {
  adviceFocus,
  endpointsToAllow,
  furtherDiagnosis,
  notNetworkAdvice,
  solutionFor,
  symptomText,
  unrecognizedAdvice,
  type AdviceInput,
} from '../advice';
import type { Diagnosis } from '../contract';
import { AcrcheckError, isAcrcheckError, refusalMessage } from '../errors';
import { translator, type Locale } from '../i18n';
import { assertPasteSize, formatSize, maxPasteBytes, recognize } from '../recognize';
import { readCapped } from '../runners/http';
import { badUsage, isBrokenPipe, parseFlags, reportLocale, write, type CliIo, type Command } from './io';
import { percent, pushCauses, pushLinks, pushSteps } from './report-text';

/** A batch line may hold a paste of `maxPasteBytes` escaped as JSON (`\u00e4` is six bytes for two). */
export const maxBatchLineBytes = maxPasteBytes * 3 + 64 * 1024;

/** The object `diagnose --json` prints: exactly CONTRACT.md §2's keys, in its order (no `facts`). */
export function contractJson(
  d: Diagnosis,
): Pick<Diagnosis, 'verdict' | 'kind' | 'registry' | 'symptoms' | 'causes'> {
  return { verdict: d.verdict, kind: d.kind, registry: d.registry, symptoms: d.symptoms, causes: d.causes };
}

function fileError(file: string, err: unknown): AcrcheckError {
  const detail = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
  return new AcrcheckError(
    'ACRCHECK_BAD_FILE',
    `cannot read ${file} (${detail})`,
    { file, detail },
    { cause: err },
  );
}

/** Reads a whole stream, refusing it (in the report's language) as soon as it grows past `maxPasteBytes`. */
async function readPaste(stream: Readable, locale: Locale): Promise<string> {
  const paste = await readCapped(stream, maxPasteBytes);
  if (paste) return paste.toString('utf8');
  const limit = formatSize(maxPasteBytes);
  throw new AcrcheckError('ACRCHECK_INPUT_TOO_LARGE', translator(locale)('diagnose:tooLarge', { limit }), {
    size: `> ${limit}`,
    limit,
  });
}

async function readInput(file: string | undefined, io: CliIo, locale: Locale): Promise<string> {
  if (file === undefined || file === '-') return readPaste(io.stdin, locale);
  const info = await stat(file).catch((err: unknown) => {
    throw inLanguage(fileError(file, err), locale);
  });
  if (!info.isFile()) throw inLanguage(fileError(file, new Error('not a file')), locale);
  try {
    assertPasteSize(info.size);
  } catch (err) {
    throw inLanguage(err, locale);
  }
  return readPaste(createReadStream(file), locale).catch((err: unknown) => {
    throw isAcrcheckError(err) ? err : inLanguage(fileError(file, err), locale);
  });
}

/** A refusal of the input in the report's language (its English message stays the cause's). */
function inLanguage(err: unknown, locale: Locale): unknown {
  if (!isAcrcheckError(err)) return err;
  return new AcrcheckError(err.code, refusalMessage(err, locale), err.params, { cause: err });
}

/**
 * Splits a stream into lines without ever holding more than `maxBatchLineBytes` of one line;
 * an overlong line is reported as `null` and skipped up to its end.
 */
async function* batchLines(stream: Readable): AsyncGenerator<string | null> {
  let pending: Buffer[] = [];
  let size = 0;
  let overlong = false;
  for await (const chunk of stream) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let newline = buffer.indexOf(10);
    while (newline !== -1) {
      const piece = buffer.subarray(0, newline);
      if (overlong || size + piece.length > maxBatchLineBytes) yield null;
      else yield Buffer.concat([...pending, piece]).toString('utf8');
      pending = [];
      size = 0;
      overlong = false;
      buffer = buffer.subarray(newline + 1);
      newline = buffer.indexOf(10);
    }
    if (overlong) continue;
    size += buffer.length;
    if (size > maxBatchLineBytes) {
      overlong = true;
      pending = [];
    } else if (buffer.length) {
      pending.push(buffer);
    }
  }
  if (overlong) yield null;
  else if (size) yield Buffer.concat(pending).toString('utf8');
}

type BatchId = string | number | null;

/** One output line of `--batch`: the diagnosis with its `id`, or the `id` and an `error`. */
function batchAnswer(raw: string | null): Record<string, unknown> | null {
  const refuse = (id: BatchId, code: string, message: string): Record<string, unknown> => ({
    id,
    error: { code, message },
  });
  if (raw === null) {
    return refuse(
      null,
      'ACRCHECK_INPUT_TOO_LARGE',
      `the line is longer than ${formatSize(maxBatchLineBytes)}`,
    );
  }
  if (!raw.trim()) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return refuse(
      null,
      'ACRCHECK_BAD_USAGE',
      `not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse(null, 'ACRCHECK_BAD_USAGE', 'not a JSON object with "id" and "text"');
  }
  const { id, text } = value as { id?: unknown; text?: unknown };
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
  const answerId: BatchId = validId ? id : null;
  if (!validId) return refuse(answerId, 'ACRCHECK_BAD_USAGE', '"id" must be a string or a number');
  if (typeof text !== 'string') return refuse(answerId, 'ACRCHECK_BAD_USAGE', '"text" must be a string');
  try {
    return { id: answerId, ...contractJson(recognize(text)) };
  } catch (err) {
    if (isAcrcheckError(err)) return refuse(answerId, err.code, err.message);
    throw err;
  }
}

async function runBatch(file: string | undefined, io: CliIo): Promise<number> {
  let input = io.stdin;
  if (file !== undefined && file !== '-') {
    const info = await stat(file).catch((err: unknown) => {
      throw fileError(file, err);
    });
    if (!info.isFile()) throw fileError(file, new Error('not a file'));
    input = createReadStream(file);
  }
  try {
    for await (const raw of batchLines(input)) {
      const answer = batchAnswer(raw);
      if (answer) await write(io.stdout, `${JSON.stringify(answer)}\n`);
    }
  } catch (err) {
    if (isAcrcheckError(err) || isBrokenPipe(err)) throw err;
    throw fileError(file ?? 'standard input', err);
  }
  return 0;
}

/** Each line of a (Markdown) paragraph, indented to sit under its heading. */
function indented(text: string, by = '  '): string[] {
  return text.split('\n').map((line) => (line ? `${by}${line}` : line));
}

/** The readable, localized report of a diagnosis: symptom, evidence, causes, the fix, what to run next. */
export function renderDiagnosis(d: Diagnosis, locale: Locale): string {
  const t = translator(locale);
  const score = (value: number): string => percent(value, t);
  const [top, ...others] = d.symptoms;
  const input: AdviceInput = {
    registry: d.registry,
    regions: d.facts?.regions ?? [],
    clientIp: d.facts?.clientIp ?? null,
    symptom: top ?? null,
    image: d.facts?.image ?? null,
    regionalEndpoints: d.facts?.regionalEndpoints ?? [],
  };
  const list = (items: readonly string[]): string => items.join(t('catalogue:separator'));
  const links = (heading: string, items: Parameters<typeof pushLinks>[2]): void =>
    pushLinks(lines, heading, items, t);
  const lines: string[] = [
    d.registry ? t('diagnose:titleFor', { registry: d.registry.loginServer }) : t('diagnose:title'),
    '',
    t('diagnose:verdict.line', { verdict: t(`diagnose:verdict.${d.verdict}`) }),
  ];

  if (top) {
    const text = symptomText(top.id, locale);
    lines.push('', t('diagnose:symptom', { title: text.title, score: score(top.score) }));
    lines.push(`  ${text.description}`, `  ${t('diagnose:evidence', { evidence: top.evidence })}`);
    for (const s of others) {
      const title = symptomText(s.id, locale).title;
      lines.push(`  ${t('diagnose:alsoSeen', { title, score: score(s.score), evidence: s.evidence })}`);
    }
  }

  const facts = d.facts;
  const factLines = [
    facts?.clientIp ? t('diagnose:facts.clientIp', { ip: facts.clientIp }) : '',
    facts?.regions.length ? t('diagnose:facts.regions', { regions: list(facts.regions) }) : '',
    facts?.otherHosts.length ? t('diagnose:facts.otherHosts', { hosts: list(facts.otherHosts) }) : '',
  ].filter(Boolean);
  if (factLines.length) lines.push('', ...factLines);

  if (d.verdict === 'unrecognized') {
    const advice = unrecognizedAdvice(locale);
    lines.push(
      '',
      advice.title,
      ...indented(advice.text),
      ...indented(advice.recognizes),
      '',
      advice.exampleIntro,
    );
    lines.push(...indented(advice.example));
    return `${lines.join('\n')}\n`;
  }

  if (d.verdict === 'not-network' && d.kind) {
    const advice = notNetworkAdvice(d.kind, input, locale);
    lines.push('', advice.title);
    // A kind's line (auth, not-found, rate-limit) is no symptom; `other-registry` showed it above already.
    if (!top && d.facts?.kindEvidence)
      lines.push(`  ${t('diagnose:evidence', { evidence: d.facts.kindEvidence })}`);
    lines.push(...indented(advice.text));
    links(t('diagnose:links'), advice.links);
    return `${lines.join('\n')}\n`;
  }

  if (d.causes.length) {
    lines.push('', t('diagnose:causes'));
    pushCauses(lines, d.causes, locale, adviceFocus(top));
  }
  if (!d.registry) lines.push('', t('diagnose:noRegistry'));

  const topCause = d.causes[0];
  if (topCause) {
    const solution = solutionFor(topCause.id, input, locale);
    lines.push('', t('diagnose:fix', { title: solution.title }), `  ${solution.summary}`);
    pushSteps(lines, solution.steps);
    links(t('diagnose:links'), solution.links);
  }
  lines.push('', t('diagnose:endpoints'));
  for (const host of endpointsToAllow(input)) lines.push(`  ${host}`);

  const further = furtherDiagnosis(input, locale);
  lines.push('', t('diagnose:further', { title: further.title }));
  pushSteps(lines, further.steps);
  links(t('diagnose:links'), further.links);
  return `${lines.join('\n')}\n`;
}

/** `acrcheck diagnose`: a pasted error → the diagnosis, as JSON (CONTRACT.md §2) or a localized report. */
export const diagnoseCommand: Command = {
  usage: [
    'acrcheck diagnose [--json] [--locale en|de|zh-TW] [FILE]   (standard input when FILE is absent)',
    'acrcheck diagnose --batch [FILE]                           (JSON lines {"id","text"} in, one answer per line out)',
  ],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        json: { type: 'boolean', default: false },
        batch: { type: 'boolean', default: false },
        locale: { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) badUsage(`one FILE at most, got ${positionals.length}`);
    const file = positionals[0];
    const locale = reportLocale(values.locale, io.env);
    if (values.batch) return runBatch(file, io);
    const diagnosis = recognize(await readInput(file, io, locale));
    const out = values.json
      ? `${JSON.stringify(contractJson(diagnosis), null, 2)}\n`
      : renderDiagnosis(diagnosis, locale);
    await write(io.stdout, out);
    return 0;
  },
};
