import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  notNetworkKinds,
  symptomIds,
  type CauseId,
  type PasteFacts,
  type SymptomId,
} from '../../src/contract';
import { recognize } from '../../src/recognize';
import { maxEvidenceLength } from '../../src/recognize/rank';

/**
 * The paste corpus: one folder per expected id (a symptom → verdict `network` with that top symptom; a
 * not-network kind → that kind; `unrecognized`). `expected.json` beside the folders adds what a folder
 * cannot say: the top cause, the registry's login server and, where it matters, other symptoms and facts.
 * The bench (`bench/recognize.ts`) measures its accuracy against the same file.
 */
interface Expectation {
  cause: CauseId | null;
  registry: string | null;
  name?: string;
  dataEndpoints?: string[];
  also?: SymptomId[];
  facts?: Partial<PasteFacts>;
}

const root = join(__dirname, '..', 'fixtures', 'pastes');
const expectations = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Record<
  string,
  Expectation
>;
const folders = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const files = folders
  .flatMap((folder) => readdirSync(join(root, folder)).map((file) => `${folder}/${file}`))
  .sort();
const kinds: readonly string[] = notNetworkKinds;
const symptoms: readonly string[] = symptomIds;

describe('the paste corpus', () => {
  test('has a folder for every symptom, every not-network kind and unrecognized text, with 3 pastes or more each', () => {
    expect(folders).toEqual([...symptomIds, ...notNetworkKinds, 'unrecognized'].sort());
    for (const folder of folders)
      expect({ folder, count: readdirSync(join(root, folder)).length >= 3 }).toEqual({ folder, count: true });
    expect(files.length).toBeGreaterThanOrEqual(60);
  });

  test('every paste has an expectation and every expectation a paste', () => {
    expect(Object.keys(expectations).sort()).toEqual(files);
  });
});

describe.each(files)('%s', (file) => {
  const folder = file.split('/')[0] ?? '';
  const expected = expectations[file];
  const diagnosis = recognize(readFileSync(join(root, file), 'utf8'));

  test('verdict, kind and top symptom', () => {
    if (symptoms.includes(folder)) {
      expect({ verdict: diagnosis.verdict, kind: diagnosis.kind, top: diagnosis.symptoms[0]?.id }).toEqual({
        verdict: 'network',
        kind: null,
        top: folder,
      });
    } else if (kinds.includes(folder)) {
      expect({ verdict: diagnosis.verdict, kind: diagnosis.kind }).toEqual({
        verdict: 'not-network',
        kind: folder,
      });
      // A not-network verdict names no ACR network symptom; the line that showed it is `kindEvidence`.
      expect({ symptoms: diagnosis.symptoms, causes: diagnosis.causes }).toEqual({
        symptoms: [],
        causes: [],
      });
      expect(diagnosis.facts?.kindEvidence).toEqual(expect.any(String));
    } else {
      expect({ verdict: diagnosis.verdict, symptoms: diagnosis.symptoms, causes: diagnosis.causes }).toEqual({
        verdict: 'unrecognized',
        symptoms: [],
        causes: [],
      });
    }
  });

  test('top cause and registry', () => {
    expect(diagnosis.causes[0]?.id ?? null).toBe(expected?.cause);
    expect(diagnosis.registry?.loginServer ?? null).toBe(expected?.registry);
    if (expected?.name) expect(diagnosis.registry?.name).toBe(expected.name);
    if (expected?.dataEndpoints) expect(diagnosis.registry?.dataEndpoints).toEqual(expected.dataEndpoints);
  });

  test('other symptoms and facts', () => {
    for (const id of expected?.also ?? []) expect(diagnosis.symptoms.map((s) => s.id)).toContain(id);
    if (expected?.facts) expect(diagnosis.facts).toMatchObject(expected.facts);
  });

  test('evidence is a trimmed line of the paste, scores are ordered and causes add up to 1', () => {
    for (const s of diagnosis.symptoms) {
      expect(s.evidence.length).toBeGreaterThan(0);
      expect(s.evidence.length).toBeLessThanOrEqual(maxEvidenceLength + 2);
      expect(s.evidence).not.toMatch(/[\r\n]/);
      expect(s.evidence).not.toContain('\u001b');
      expect(s.score).toBeGreaterThan(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
    const scores = diagnosis.causes.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    if (scores.length) expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  });
});
