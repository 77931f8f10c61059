import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { loadResources, resolveLocale, supportedLocales, translator } from '../src/i18n';
import { packageRoot } from '../src/paths';

/** Every leaf key of a nested resource object, as `a.b.c`. */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locales', () => {
  const resources = loadResources();
  const namespaces = new Set(supportedLocales.flatMap((l) => Object.keys(resources[l] ?? {})));

  test.each([...namespaces])('namespace %s has the same keys in every language', (ns) => {
    const keysByLocale = supportedLocales.map((l) => new Set(leafKeys(resources[l]?.[ns] ?? {})));
    const all = new Set(keysByLocale.flatMap((k) => [...k]));
    supportedLocales.forEach((locale, i) => {
      const missing = [...all].filter((k) => !keysByLocale[i]?.has(k));
      expect({ locale, ns, missing }).toEqual({ locale, ns, missing: [] });
    });
  });

  test('no string is empty and interpolations match across languages', () => {
    for (const ns of namespaces) {
      const en = resources.en?.[ns] ?? {};
      for (const key of leafKeys(en)) {
        const vars = (l: string): string[] => {
          const v = key
            .split('.')
            .reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], resources[l]?.[ns]);
          expect(typeof v === 'string' && v.trim().length > 0).toBe(true);
          return [...String(v).matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1] ?? '').sort();
        };
        for (const l of supportedLocales)
          expect({ key, l, vars: vars(l) }).toEqual({ key, l, vars: vars('en') });
      }
    }
  });

  test('every language folder is one we load', () => {
    expect(readdirSync(join(packageRoot(), 'locales')).sort()).toEqual([...supportedLocales].sort());
  });

  test('translators return the language asked for', () => {
    expect(translator('de')('errors:ACRCHECK_NOT_ACR_HOST.empty')).toMatch(/Registry/);
    expect(translator('zh-TW')('errors:ACRCHECK_NOT_ACR_HOST.empty')).toMatch(/登錄/);
  });
});

describe('resolveLocale', () => {
  test.each([
    ['de-DE', 'de'],
    ['de-CH', 'de'],
    ['DE', 'de'],
    ['zh-TW', 'zh-TW'],
    ['zh-Hant-TW', 'zh-TW'],
    ['zh-hant', 'zh-TW'],
    ['zh_TW', 'zh-TW'],
    ['zh-CN', 'en'],
    ['fr-FR', 'en'],
    ['en-GB', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (tag, locale) => {
    expect(resolveLocale(tag)).toBe(locale);
  });
});
