import { causes } from '../../src/catalogue/causes';
import { clouds } from '../../src/catalogue/clouds';
import { docs } from '../../src/catalogue/docs';
import { further } from '../../src/catalogue/further';
import { kinds } from '../../src/catalogue/kinds';
import {
  focusIds,
  regionVars,
  solutions,
  storageHosts,
  templateVars,
  type SolutionSpec,
  type StepSpec,
} from '../../src/catalogue/solutions';
import { symptoms } from '../../src/catalogue/symptoms';
import { causeIds, notNetworkKinds, symptomIds } from '../../src/contract';
import { loadResources, supportedLocales } from '../../src/i18n';

type Tree = Record<string, unknown>;

const resources = loadResources();
const catalogue = (locale: string): Tree => (resources[locale]?.catalogue ?? {}) as Tree;

/** The value at a dotted path of a locale's catalogue namespace. */
function at(locale: string, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Tree | undefined)?.[key], catalogue(locale));
}

function expectText(locale: string, path: string): void {
  const value = at(locale, path);
  expect({ locale, path, ok: typeof value === 'string' && value.trim().length > 0 }).toEqual({
    locale,
    path,
    ok: true,
  });
}

/** The locale keys a list of steps needs: one per step, or `.known`/`.unknown` when the step varies. */
function stepKeys(steps: readonly StepSpec[]): string[] {
  return steps.flatMap((s) => (s.variesWith ? [`${s.id}.known`, `${s.id}.unknown`] : [s.id]));
}

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

const allSteps: { where: string; step: StepSpec }[] = [
  ...causeIds.flatMap((c) => solutions[c].steps.map((step: StepSpec) => ({ where: c, step }))),
  ...further.steps.map((step: StepSpec) => ({ where: 'further', step })),
];

describe.each(supportedLocales)('catalogue text in %s', (locale) => {
  test.each(symptomIds)('symptom %s has a title and a description', (id) => {
    expectText(locale, `symptoms.${id}.title`);
    expectText(locale, `symptoms.${id}.description`);
  });

  test.each(causeIds)('cause %s has a title, a summary and a solution', (id) => {
    expectText(locale, `causes.${id}.title`);
    expectText(locale, `causes.${id}.summary`);
    expectText(locale, `solutions.${id}.title`);
    expectText(locale, `solutions.${id}.summary`);
  });

  test.each(causeIds)('every step of the %s solution has its text, and no text is left over', (id) => {
    const keys = stepKeys(solutions[id].steps);
    for (const key of keys) expectText(locale, `solutions.${id}.steps.${key}`);
    expect(leafKeys(at(locale, `solutions.${id}.steps`)).sort()).toEqual([...keys].sort());
  });

  test('every further-diagnosis step has its text, and no text is left over', () => {
    expectText(locale, 'further.title');
    const keys = stepKeys(further.steps);
    for (const key of keys) expectText(locale, `further.steps.${key}`);
    expect(leafKeys(at(locale, 'further.steps')).sort()).toEqual([...keys].sort());
  });

  test.each(notNetworkKinds)('kind %s has a title and a text', (kind) => {
    expectText(locale, `kinds.${kind}.title`);
    expectText(locale, `kinds.${kind}.text`);
  });

  test('a rate limit has its own text for an Azure registry and for Docker Hub', () => {
    expectText(locale, 'kinds.rate-limit.variants.acr');
    expectText(locale, 'kinds.rate-limit.variants.docker-hub');
  });

  test.each(causeIds)(
    'every focus of the %s solution has its title and summary, for the fix and the cause',
    (id) => {
      const spec: SolutionSpec = solutions[id];
      for (const focus of Object.keys(spec.focus ?? {})) {
        for (const key of ['title', 'summary']) {
          expectText(locale, `solutions.${id}.focus.${focus}.${key}`);
          expectText(locale, `causes.${id}.focus.${focus}.${key}`);
        }
      }
    },
  );

  test('the cloud step and the list separator', () => {
    expectText(locale, 'cloud.step');
    expectText(locale, 'cloud.line');
    expect(typeof at(locale, 'separator')).toBe('string');
  });

  test('the unrecognized answer says what acrcheck knows and shows an example', () => {
    for (const key of ['title', 'text', 'recognizes', 'exampleIntro', 'example']) {
      expectText(locale, `unrecognized.${key}`);
    }
    expect(at(locale, 'unrecognized.example')).toBe(at('en', 'unrecognized.example'));
  });

  test('every document has a title, and every title a document', () => {
    expect(Object.keys(at(locale, 'docs') as Tree).sort()).toEqual(docs.map((d) => d.id).sort());
  });

  test('nothing but the known sections lives in the namespace', () => {
    expect(Object.keys(catalogue(locale)).sort()).toEqual(
      [
        'causes',
        'cloud',
        'docs',
        'further',
        'kinds',
        'separator',
        'solutions',
        'symptoms',
        'unrecognized',
      ].sort(),
    );
    expect(Object.keys(at(locale, 'symptoms') as Tree).sort()).toEqual([...symptomIds].sort());
    expect(Object.keys(at(locale, 'causes') as Tree).sort()).toEqual([...causeIds].sort());
    expect(Object.keys(at(locale, 'solutions') as Tree).sort()).toEqual([...causeIds].sort());
    expect(Object.keys(at(locale, 'kinds') as Tree).sort()).toEqual([...notNetworkKinds].sort());
  });

  test('text interpolates only values the binder provides, never per-region ones', () => {
    const allowed = new Set<string>(templateVars);
    for (const key of leafKeys(catalogue(locale))) {
      const text = String(at(locale, key));
      for (const [, name] of text.matchAll(/\{\{\s*(\w+)/g))
        expect({ key, name, ok: allowed.has(name ?? '') }).toEqual({ key, name, ok: true });
    }
  });
});

describe('catalogue tables', () => {
  test('causes and solutions cover exactly the contract ids, in order', () => {
    expect(causes.map((c) => c.id)).toEqual([...causeIds]);
    expect(Object.keys(solutions)).toEqual([...causeIds]);
    expect(Object.keys(kinds).sort()).toEqual([...notNetworkKinds].sort());
    expect(symptoms.map((s) => s.id)).toEqual([...symptomIds]);
  });

  test.each(allSteps.map(({ where, step }) => [where, step.id, step] as const))(
    '%s step %s names only known template values',
    (_where, _id, step) => {
      const known = new Set<string>([...templateVars, ...regionVars]);
      for (const command of step.commands) {
        for (const [, name] of command.matchAll(/\{\{(\w+)\}\}/g)) expect(known.has(name ?? '')).toBe(true);
        expect(command.trim()).toBe(command);
        expect(command.length).toBeGreaterThan(0);
      }
    },
  );

  test('a focus leads with steps of its own solution, and a step shown only in a focus names a known one', () => {
    for (const id of causeIds) {
      const spec: SolutionSpec = solutions[id];
      const stepIds = spec.steps.map((s) => s.id);
      for (const [focus, lead] of Object.entries(spec.focus ?? {})) {
        expect(focusIds).toContain(focus);
        for (const step of lead ?? []) expect(stepIds).toContain(step);
      }
      for (const step of spec.steps) for (const focus of step.only ?? []) expect(focusIds).toContain(focus);
    }
  });

  test('step ids are unique within each list', () => {
    for (const list of [...causeIds.map((c) => solutions[c].steps), further.steps]) {
      const ids = list.map((s: StepSpec) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  test('documents have unique ids; learn paths carry no language, other links are https', () => {
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
    for (const doc of docs) {
      if (doc.site === 'learn') {
        expect(doc.path).toMatch(/^(azure|cli)\/[a-z0-9/-]+$/);
        expect(doc.path).not.toMatch(/(en-us|de-de|zh-tw)/);
      } else {
        expect(doc.path).toMatch(/^https:\/\/[a-z0-9.-]+\//);
      }
    }
  });

  test('every cloud has a storage host for registries without dedicated data endpoints', () => {
    for (const cloud of clouds) expect(storageHosts[cloud.id]).toMatch(/^\*\.blob\.core\.[a-z.]+$/);
  });
});

describe('language conventions', () => {
  const strings = (locale: string): string[] => leafKeys(catalogue(locale)).map((k) => String(at(locale, k)));

  test('German says "Registry" throughout, never "Registrierung"', () => {
    const texts = strings('de');
    expect(texts.filter((s) => /Registrierung/.test(s))).toEqual([]);
    expect(texts.some((s) => s.includes('Registry'))).toBe(true);
    expect(texts.filter((s) => /\b(du|dein|deine|dich)\b/.test(s))).toEqual([]);
  });

  test('Traditional Chinese uses Taiwan terms and no Simplified characters', () => {
    const texts = strings('zh-TW');
    const simplified = /[网络证镜务时连设据录访问为这个们请认错误书册实现应体]/;
    expect(texts.filter((s) => simplified.test(s))).toEqual([]);
    const joined = texts.join('\n');
    for (const term of ['登錄', '私人端點', '防火牆', '資料端點', '憑證', '虛擬網路', '連接埠']) {
      expect({ term, present: joined.includes(term) }).toEqual({ term, present: true });
    }
    // Mainland usage, where Taiwan says 設定.
    expect(texts.filter((s) => s.includes('配置'))).toEqual([]);
    expect(at('zh-TW', 'separator')).toBe('、');
  });
});
