import { render, renderError } from '../../src/bot/views';
import type { Card } from '../../src/cards/bind';
import { errorKinds } from '../../src/cards/error';
import { adviceSteps } from '../../src/cards/not-network';
import { AcrcheckError } from '../../src/errors';
import { supportedLocales, translator, type Locale } from '../../src/i18n';
import { cardProblems, stringsOf as strings, walk } from '../bot/cards';
import { allViews } from './cases';

function checkCard(card: Card): void {
  expect(card.type).toBe('AdaptiveCard');
  expect(cardProblems(card)).toEqual([]);
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

describe('not-network cards', () => {
  const notNetwork = allViews().filter(([name]) => name.startsWith('not-network'));

  test.each(notNetwork.flatMap(([name, view]) => locales.map((l) => [name, l, view] as const)))(
    '%s in %s: every az command stands in a block to copy, never inside a sentence',
    (_name, locale, view) => {
      const card = render(view, locale);
      const sentences: string[] = [];
      const code: string[] = [];
      walk(card, (node) => {
        if (node.type === 'TextBlock') sentences.push(String(node.text));
        if (node.type === 'CodeBlock') code.push(String(node.codeSnippet));
      });
      // A command is `az acr <verb> … --flag`; a link titled after a command group is not one.
      expect(sentences.filter((s) => /(^|\s)az acr [a-z-]+( [a-z-]+)? --/.test(s))).toEqual([]);
      expect(code.length).toBeGreaterThan(0);
      for (const block of code) expect(block).toMatch(/^az /);
    },
  );

  test.each([
    [
      'a lead and items with commands after a colon',
      'Lead.\n- Do this: az acr login --name r\n- Only words.',
      {
        lead: 'Lead.',
        steps: [
          { text: 'Do this:', commands: ['az acr login --name r'] },
          { text: 'Only words.', commands: [] },
        ],
      },
    ],
    [
      'a command on its own line joins the item or lead before it',
      'Lead:\naz acr import --name r',
      {
        lead: 'Lead:',
        steps: [{ text: '', commands: ['az acr import --name r'] }],
      },
    ],
    [
      'items that are only commands',
      'List:\n- az acr repository list --name r',
      {
        lead: 'List:',
        steps: [{ text: '', commands: ['az acr repository list --name r'] }],
      },
    ],
  ])('adviceSteps: %s', (_name, text, expected) => {
    expect(adviceSteps(text)).toEqual(expected);
  });
});
