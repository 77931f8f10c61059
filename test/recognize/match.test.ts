import { hintIds, hints, signatures as table, type Signature } from '../../src/catalogue/signatures';
import { symptoms } from '../../src/catalogue/symptoms';
import { causeIds, notNetworkKinds, symptomIds } from '../../src/contract';
import { normalize } from '../../src/recognize';
import { matchRules } from '../../src/recognize/match';

const ids = (hits: ReturnType<typeof matchRules>): string[] => hits.map((h) => h.rule.id);
const signatures: readonly Signature[] = table;

describe('the engine', () => {
  const rules: Signature[] = [
    { id: 'plain', symptom: 'dns-lookup', role: 'error', weight: 0.9, needles: ['no such host'] },
    {
      id: 'with',
      symptom: 'client-timeout',
      role: 'error',
      weight: 0.9,
      needles: ['i/o timeout'],
      with: ['lookup '],
    },
    {
      id: 'without',
      symptom: 'connection-refused',
      role: 'error',
      weight: 0.9,
      needles: ['refused'],
      without: ['proxy'],
    },
    { id: 'word', symptom: 'azure-service-pull', role: 'context', weight: 0.5, needles: ['aks'], word: true },
    { id: 'cjk', symptom: 'dns-lookup', role: 'context', weight: 0.5, needles: ['無法解析'] },
    {
      id: 'umlaut',
      symptom: 'client-timeout',
      role: 'context',
      weight: 0.5,
      needles: ['zeitüberschreitung'],
    },
  ];

  test('needles match case-insensitively, once per line, with the offset of their end', () => {
    const hits = matchRules('x\nlookup a: NO SUCH HOST and no such host\nno such host', rules);
    expect(hits).toEqual([
      {
        rule: rules[0],
        refs: [
          { line: 1, end: 22, needleLength: 12, join: null },
          { line: 2, end: 12, needleLength: 12, join: null },
        ],
      },
    ]);
  });

  test('`with` needs one of its needles on the same line', () => {
    expect(ids(matchRules('lookup x: i/o timeout', rules))).toEqual(['with']);
    expect(ids(matchRules('dial tcp 1.2.3.4:443: i/o timeout\nlookup x', rules))).toEqual([]);
  });

  test('`without` vetoes a line', () => {
    expect(ids(matchRules('connect: connection refused', rules))).toEqual(['without']);
    expect(ids(matchRules('proxyconnect tcp: connection refused', rules))).toEqual([]);
  });

  test('`word` needles stand alone, not inside words, paths or host names', () => {
    expect(ids(matchRules('our AKS cluster', rules))).toEqual(['word']);
    expect(ids(matchRules('AKS-Cluster', rules))).toEqual(['word']);
    expect(ids(matchRules('ACR tasks, /aks/x, aks.io, kaksi', rules))).toEqual([]);
  });

  test('non-ASCII needles, upper case folded', () => {
    expect(ids(matchRules('DNS 無法解析 / ZEITÜBERSCHREITUNG', rules))).toEqual(['cjk', 'umlaut']);
  });

  test('a needle cut by a hard wrap matches on the line it starts on, glued', () => {
    const hits = matchRules('lookup myreg.azurecr.io: no su\nch host', rules);
    expect(hits[0]?.refs).toEqual([{ line: 0, end: 37, needleLength: 12, join: '' }]);
  });

  test('a needle cut by a word wrap matches across the space', () => {
    const hits = matchRules('lookup myreg.azurecr.io: no such\nhost', rules);
    expect(hits[0]?.refs).toEqual([{ line: 0, end: 37, needleLength: 12, join: ' ' }]);
  });

  test('short needles never match across a line break', () => {
    expect(ids(matchRules('connection re\nfused', rules))).toEqual([]);
  });

  test('the real rules see a timeout wrapped at an odd terminal width', () => {
    const error =
      'Get "https://corpacr.azurecr.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)';
    const wrapped = error.match(/.{1,97}/g)?.join('\n') ?? error;
    expect(ids(matchRules(normalize(wrapped)))).toEqual(expect.arrayContaining(['go-client-timeout']));
  });
});

describe('the signature table', () => {
  test('rule ids are unique and kebab-case', () => {
    const all = signatures.map((s) => s.id);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  test('every symptom and every not-network kind but other-registry has rules', () => {
    for (const id of symptomIds)
      expect({ id, rules: signatures.some((s) => s.symptom === id) }).toEqual({ id, rules: true });
    for (const kind of notNetworkKinds.filter((k) => k !== 'other-registry')) {
      expect({ kind, rules: signatures.some((s) => s.kind === kind) }).toEqual({ kind, rules: true });
    }
  });

  test('every symptom has an error-string rule, or is a situation the seed describes', () => {
    const situations = ['azure-service-pull', 'portal-cli-management', 'acr-tasks', 'defender-scan'];
    for (const id of symptomIds.filter((s) => !situations.includes(s))) {
      expect({ id, error: signatures.some((s) => s.symptom === id && s.role !== 'context') }).toEqual({
        id,
        error: true,
      });
    }
  });

  test('needles are what normalized text can hold: lower case, ASCII quotes and dashes, no line breaks', () => {
    for (const rule of signatures) {
      for (const needle of [...rule.needles, ...(rule.with ?? []), ...(rule.without ?? [])]) {
        expect({
          rule: rule.id,
          needle,
          ok: needle === needle.toLowerCase() && normalize(needle) === needle.trimEnd(),
        }).toEqual({
          rule: rule.id,
          needle,
          ok: true,
        });
        expect(needle).not.toMatch(/[\n\u2018\u2019\u201c\u201d\u2013\u2014]/);
      }
    }
  });

  test('weights are between 0 and 1; hints boost known causes', () => {
    for (const rule of signatures) if (!rule.hint) expect(rule.weight).toBeGreaterThan(0);
    for (const rule of signatures) if (!rule.hint) expect(rule.weight).toBeLessThanOrEqual(1);
    expect(hints.map((h) => h.id).sort()).toEqual([...hintIds].sort());
    for (const hint of hints) for (const cause of Object.keys(hint.boost)) expect(causeIds).toContain(cause);
  });

  test("the catalogue's symptom → cause weights add up to 1", () => {
    for (const s of symptoms) {
      const total = Object.values(s.causes).reduce<number>((a, b) => a + (b ?? 0), 0);
      expect({ id: s.id, total: Math.round(total * 100) / 100 }).toEqual({ id: s.id, total: 1 });
    }
  });
});
