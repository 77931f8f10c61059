import * as AC from 'adaptivecards';

import { render, renderError } from '../../src/bot/views';
import type { Card } from '../../src/cards/bind';
import { errorKinds } from '../../src/cards/error';
import { AcrcheckError } from '../../src/errors';
import { supportedLocales, translator, type Locale } from '../../src/i18n';
import { allViews } from './cases';

/** Teams takes bot cards up to 40 KB (then 413); 28 KB also fits webhooks and connectors. */
const maxCardBytes = 28 * 1024;
const maxActions = 6;
const htmlTag =
  /<\/?(a|b|i|u|p|br|hr|div|span|strong|em|code|pre|ul|ol|li|table|tr|td|th|img|h[1-6]|at|font|script|style)\b[^>]*>/i;

type Json = Record<string, unknown>;

/** Every element and action of a card, depth first, with the key it was found under (button data is not walked). */
function walk(value: unknown, visit: (node: Json, key: string) => void, key = ''): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit, key));
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json, key);
    for (const [k, v] of Object.entries(value)) if (k !== 'data') walk(v, visit, k);
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** Problems the official renderer reports, parsing for schema 1.5. Teams' CodeBlock is unknown to it and has a fallback. */
function rendererProblems(card: Card): string[] {
  const adaptive = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  adaptive.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    if (event.event === AC.ValidationEvent.UnknownElementType && event.message.includes('"CodeBlock"'))
      continue;
    problems.push(event.message);
  }
  return [...problems, ...adaptive.validateProperties().validationEvents.map((e) => e.message)];
}

function checkCard(card: Card): void {
  expect(card.type).toBe('AdaptiveCard');
  expect(card.version).toBe('1.5');
  const json = JSON.stringify(card);
  expect(Buffer.byteLength(json)).toBeLessThan(maxCardBytes);
  expect(json).not.toContain('${');
  expect(rendererProblems(card)).toEqual([]);
  expect(strings(card).filter((s) => htmlTag.test(s))).toEqual([]);

  const ids: string[] = [];
  const actions: Json[] = [];
  const toggles: string[] = [];
  walk(card, (node, key) => {
    if (typeof node.id === 'string' && key !== 'fallback') ids.push(node.id);
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && key !== 'fallback')
      actions.push(node);
    if (node.type === 'Action.ToggleVisibility') toggles.push(...(node.targetElements as string[]));
    if (node.type === 'CodeBlock') expect(node.fallback).toBeDefined();
  });
  expect(new Set(ids).size).toBe(ids.length);
  expect(toggles.filter((id) => !ids.includes(id))).toEqual([]);
  expect(actions.length).toBeLessThanOrEqual(maxActions);
  for (const action of actions.filter((a) => a.type === 'Action.Execute')) {
    expect(action.verb).toMatch(/^[a-z]+\.[a-z]+$/);
    expect((action.data as Json).verb).toBe(action.verb);
    expect(action.fallback).toEqual({ type: 'Action.Submit', title: action.title, data: action.data });
  }
}

const locales = [...supportedLocales];

describe.each(allViews())('%s', (_name, view) => {
  test.each(locales)('binds in %s as a valid Teams card', (locale) => {
    checkCard(render(view, locale));
  });

  test('speaks the language it is rendered in', () => {
    const texts = locales.map((l) => new Set(strings(render(view, l).body)));
    for (const [i, locale] of locales.entries()) {
      const others = texts.filter((_, j) => j !== i);
      const own = [...(texts[i] ?? [])].filter(
        (s) => Buffer.byteLength(s) > 12 && !others.some((o) => o.has(s)),
      );
      expect({ locale, ownStrings: own.length >= 2 }).toEqual({ locale, ownStrings: true });
    }
  });
});

describe('error cards', () => {
  const errors: [string, unknown][] = [
    [
      'registry',
      new AcrcheckError('ACRCHECK_NOT_ACR_HOST', 'x', {
        input: '[x](https://evil.example)',
        reason: 'characters',
      }),
    ],
    ['too-large', new AcrcheckError('ACRCHECK_INPUT_TOO_LARGE', 'x', { size: '3.2 MB', limit: '1 MB' })],
    ['bad-action', new AcrcheckError('ACRCHECK_BAD_ACTION', 'x', { detail: 'verb' })],
    ['internal', new Error('boom')],
  ];

  test('every kind has a test', () => {
    expect(errors.map(([kind]) => kind).sort()).toEqual([...errorKinds].sort());
  });

  test.each(errors.flatMap(([kind, err]) => locales.map((l) => [kind, l, err] as [string, Locale, unknown])))(
    '%s in %s',
    (kind, locale, err) => {
      const card = renderError(err, locale);
      checkCard(card);
      const t = translator(locale);
      expect(strings(card)).toContain(t(`cards:error.${kind}.title`));
    },
  );

  test('user input in a refusal is never Markdown: no link can be smuggled into the card', () => {
    const card = renderError(errors[0]?.[1], 'en');
    walk(card, (node) => {
      if (node.type === 'TextBlock') expect(String(node.text)).not.toContain('evil.example');
    });
    expect(JSON.stringify(card)).toContain('evil.example');
  });
});
