import { findCommand } from '../../src/bot/commands';
import {
  conversationKindOf,
  localeOf,
  readExecute,
  readMessage,
  removeHtmlMentions,
} from '../../src/bot/input';
import { RecentKeys } from '../../src/state/recent-keys';
import { ben, botAccount, envelope, message } from './teams';

const serviceUrl = 'http://127.0.0.1:9/';

describe('readMessage', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['a card and nothing else', {}, true],
    ['a card with an HTML placeholder', { html: '<div><attachment id="1"></attachment></div>' }, true],
    ['a hero card', { contentType: 'application/vnd.microsoft.card.hero' }, true],
    ['a card and a word', { text: 'look' }, false],
    ['a card and HTML text', { html: '<p>look at this</p>' }, false],
    ['a card and a button’s value', { value: { verb: 'card.translate' } }, false],
    ['no card at all', { card: false }, false],
  ])('%s: only a card → %s', (_name, parts, expected) => {
    const activity = envelope(serviceUrl, 'message');
    const contentType =
      (parts.contentType as string | undefined) ?? 'application/vnd.microsoft.card.adaptive';
    activity.attachments = [
      ...(parts.card === false ? [] : [{ contentType, content: { type: 'AdaptiveCard', body: [] } }]),
      ...(parts.html === undefined ? [] : [{ contentType: 'text/html', content: parts.html }]),
    ];
    if (parts.text !== undefined) activity.text = parts.text;
    if (parts.value !== undefined) activity.value = parts.value;
    expect(readMessage(activity).cardOnly).toBe(expected);
  });

  test('a personal message is read as it is', () => {
    const input = readMessage(message(serviceUrl, 'dial tcp: lookup myregistry.azurecr.io: no such host'));
    expect(input).toMatchObject({
      text: 'dial tcp: lookup myregistry.azurecr.io: no such host',
      line: 'dial tcp: lookup myregistry.azurecr.io: no such host',
      conversation: 'personal',
      mentioned: false,
      submit: null,
    });
  });

  test("the bot's own mention is removed by its entity; another person's mention stays", () => {
    const activity = message(serviceUrl, '<at>Ben Example</at> acrcheck myregistry', {
      kind: 'channel',
      mention: true,
    });
    (activity.entities as unknown[]).push({ type: 'mention', mentioned: ben, text: '<at>Ben Example</at>' });
    const input = readMessage(activity);
    expect(input.mentioned).toBe(true);
    expect(input.conversation).toBe('channel');
    expect(input.text).toContain('<at>Ben Example</at>');
    expect(input.text).not.toContain('<at>acrcheck</at>');
    expect(input.line).toBe('acrcheck myregistry');
  });

  test('a mention of someone else with the same display text is not taken for the bot', () => {
    const activity = message(serviceUrl, '<at>acrcheck</at> help', { kind: 'groupChat' });
    (activity.entities as unknown[]).push({
      type: 'mention',
      mentioned: { id: '29:someone', name: 'acrcheck' },
      text: '<at>acrcheck</at>',
    });
    expect(readMessage(activity).mentioned).toBe(false);
  });

  test('the text/html attachment wins over text, which Teams stripped of <…>; the mention leaves the HTML too', () => {
    const html =
      '<div><div><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">acrcheck</span>&nbsp;' +
      '<pre>Error: Get &quot;https://myregistry.azurecr.io/v2/&quot;: x509: certificate signed by unknown authority &lt;nil&gt;</pre></div></div>';
    const activity = message(
      serviceUrl,
      'Error: Get "https://myregistry.azurecr.io/v2/": x509: certificate signed by unknown authority',
      {
        kind: 'channel',
        mention: true,
        html,
      },
    );
    const input = readMessage(activity);
    expect(input.text).not.toContain('schema.skype.com/Mention');
    expect(input.text).toContain('&lt;nil&gt;');
    expect(input.text).toContain('<pre>');
  });

  test('a message of nothing but angle-bracket text still has its line from the HTML', () => {
    const activity = message(serviceUrl, '', { html: '<p>&lt;none&gt; acrcheck</p>' });
    expect(readMessage(activity).line).toBe('<none> acrcheck');
  });

  test('an Action.Submit message carries its value and the card it came from', () => {
    const activity = {
      ...envelope(serviceUrl, 'message'),
      value: { verb: 'card.translate' },
      replyToId: 'm-1',
    };
    expect(readMessage(activity)).toMatchObject({
      submit: { verb: 'card.translate' },
      replyToId: 'm-1',
      line: '',
    });
  });
});

describe('locale', () => {
  test.each([
    [{ locale: 'de-DE' }, 'de'],
    [{ locale: 'de-CH' }, 'de'],
    [{ locale: 'zh-TW' }, 'zh-TW'],
    [{ locale: null, clientLocale: 'zh-Hant-TW' }, 'zh-TW'],
    [{ locale: null, clientLocale: 'de-AT' }, 'de'],
    [{ locale: 'fr-FR' }, 'en'],
  ])('%j → %s', (options, expected) => {
    expect(localeOf(envelope(serviceUrl, 'message', options))).toBe(expected);
  });

  test('no locale anywhere → English', () => {
    expect(localeOf({ type: 'message' })).toBe('en');
  });
});

test('conversation kinds', () => {
  expect(conversationKindOf(envelope(serviceUrl, 'message', { kind: 'groupChat' }))).toBe('groupChat');
  expect(conversationKindOf({ conversation: { id: 'x', isGroup: true } })).toBe('channel');
  expect(conversationKindOf({ conversation: { id: 'x' } })).toBe('personal');
});

test('removeHtmlMentions keeps unclosed and unrelated tags and stays linear on a megabyte of them', () => {
  expect(removeHtmlMentions('<at>acrcheck</at> hi <at>Ben</at>', ['acrcheck'])).toBe(' hi <at>Ben</at>');
  expect(removeHtmlMentions('<span class="x">acrcheck</span>', ['acrcheck'])).toBe(
    '<span class="x">acrcheck</span>',
  );
  expect(removeHtmlMentions('<at>acrcheck', ['acrcheck'])).toBe('<at>acrcheck');
  const evil = '<at '.repeat(250_000);
  const nested = `${'<at>'.repeat(250_000)}</at>`;
  const started = process.hrtime.bigint();
  expect(removeHtmlMentions(evil, ['acrcheck'])).toBe(evil);
  expect(removeHtmlMentions(nested, ['acrcheck'])).toBe(nested);
  expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
});

test('readExecute takes verb and data only from an Action.Execute', () => {
  expect(readExecute({ action: { type: 'Action.Execute', verb: 'card.translate', data: { a: 1 } } })).toEqual(
    {
      verb: 'card.translate',
      data: { a: 1 },
    },
  );
  expect(readExecute({ action: { type: 'Action.Submit', verb: 'x', data: {} } })).toEqual({
    verb: '',
    data: null,
  });
  expect(readExecute(null)).toEqual({ verb: '', data: null });
  expect(readExecute('garbage')).toEqual({ verb: '', data: null });
});

describe('findCommand', () => {
  test.each([
    ['acrcheck myregistry', 'acrcheck', ['myregistry']],
    ['/acrcheck myregistry westeurope', 'acrcheck', ['myregistry', 'westeurope']],
    ['ACRCHECK MyRegistry', 'acrcheck', ['MyRegistry']],
    ['help', 'help', []],
    ['/Help', 'help', []],
    ['hilfe', 'help', []],
  ])('%s', (line, name, args) => {
    expect(findCommand(line)).toMatchObject({ command: { name }, args });
  });

  test.each([
    'help me, docker says: dial tcp: lookup x: no such host',
    'dial tcp: lookup myregistry.azurecr.io: no such host',
    '',
  ])('not a command: %s', (line) => {
    expect(findCommand(line)).toBeNull();
  });

  test('acrcheck parses its registry only with parseRegistry', () => {
    const found = findCommand('acrcheck myregistry WestEurope,eastus');
    expect(found?.command.run(found.args)).toEqual({
      view: 'registry',
      regions: ['westeurope', 'eastus'],
      registry: {
        name: 'myregistry',
        loginServer: 'myregistry.azurecr.io',
        dataEndpoints: ['myregistry.westeurope.data.azurecr.io', 'myregistry.eastus.data.azurecr.io'],
      },
    });
    const evil = findCommand('acrcheck evil.example.com');
    expect(() => evil?.command.run(evil.args)).toThrow(
      expect.objectContaining({ code: 'ACRCHECK_NOT_ACR_HOST' }),
    );
  });
});

test('RecentKeys remembers a key for its time to live, and no more than its size', () => {
  let now = 0;
  const keys = new RecentKeys(1000, 2, () => now);
  expect(keys.add('a')).toBe(true);
  expect(keys.has('a')).toBe(true);
  expect(keys.add('a')).toBe(false);
  now = 1000;
  expect(keys.has('a')).toBe(false);
  expect(keys.add('a')).toBe(true);
  keys.add('b');
  keys.add('c');
  expect(keys.has('a')).toBe(false);
  expect(keys.has('c')).toBe(true);
  expect(keys.add('a')).toBe(true);
});

test('the bot account in the fixtures is the recipient', () => {
  expect(envelope(serviceUrl, 'message').recipient).toBe(botAccount);
});
