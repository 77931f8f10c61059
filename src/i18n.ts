import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import i18next, { type i18n, type Resource, type TFunction } from 'i18next';

import { packageRoot } from './paths';

/** The languages every user-visible string exists in; the first is the fallback. */
export const supportedLocales = ['en', 'de', 'zh-TW'] as const;
export type Locale = (typeof supportedLocales)[number];

/** A translate function bound to one language; keys are `namespace:path`. */
export type Translate = TFunction;

/** Reads `locales/<lng>/<namespace>.json` for every supported language: one namespace per file. */
export function loadResources(dir = join(packageRoot(), 'locales')): Resource {
  const resources: Resource = {};
  for (const lng of supportedLocales) {
    const namespaces: Record<string, object> = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      namespaces[basename(file, '.json')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8')) as object;
    }
    resources[lng] = namespaces;
  }
  return resources;
}

let shared: i18n | undefined;

/** One initialized i18next instance with every language loaded synchronously (built on first use). */
export function i18nInstance(): i18n {
  if (shared) return shared;
  const resources = loadResources();
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...supportedLocales],
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'common',
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
  });
  shared = instance;
  return instance;
}

/** A translate function for `locale` (already resolved with {@link resolveLocale}). */
export function translator(locale: Locale): Translate {
  return i18nInstance().getFixedT(locale);
}

/**
 * Maps a BCP 47 tag as Teams or a shell sends it to a supported locale:
 * `de-DE`, `de-CH` → `de`; `zh-TW`, `zh-Hant-TW`, `zh-HK`, `zh-Hant` → `zh-TW`; anything else → `en`.
 */
export function resolveLocale(tag: string | null | undefined): Locale {
  if (!tag) return 'en';
  const parts = tag.trim().replace(/_/g, '-').toLowerCase().split('-');
  const [language, ...rest] = parts;
  if (language === 'de') return 'de';
  if (language === 'zh') {
    // Traditional script or a region that writes it; Simplified Chinese falls back to English.
    if (rest.includes('hant') || rest.includes('tw') || rest.includes('hk') || rest.includes('mo'))
      return 'zh-TW';
    return 'en';
  }
  return 'en';
}

/** The learn.microsoft.com path segment for a locale (`en-us`, `de-de`, `zh-tw`). */
export function learnLocale(locale: Locale): string {
  return { en: 'en-us', de: 'de-de', 'zh-TW': 'zh-tw' }[locale];
}
