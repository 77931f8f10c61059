import { symptomText } from '../../src/advice';
import { refusalReasons, shareVerb } from '../../src/bot/message-action';
import { loadResources, supportedLocales, translator, type Locale } from '../../src/i18n';
import { maxPasteBytes } from '../../src/recognize';
import {
  postActivity,
  silentResolver,
  startConnector,
  startTestBot,
  turn,
  type RecordingConnector,
  type TestBot,
} from '../http/harness';
import {
  actionsOf,
  buttonsOf,
  cardOf,
  codeOf,
  rendererProblems,
  shareButtonOf as shareButton,
  teamsLimits,
  textOf,
  type Json,
} from './cards';
import { actionValue, ben, envelope, message, messageAction, messagePayload, type Kind } from './teams';

const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';
const teamsLocale: Record<Locale, string> = { en: 'en-US', de: 'de-DE', 'zh-TW': 'zh-TW' };
const adaptive = 'application/vnd.microsoft.card.adaptive';

/** A message body as Teams stores it: a colleague's mention, words, and the error in a code block with entities. */
const colleagueHtml =
  `<div><div><at id="0">${ben.name}</at>&nbsp;since this morning our pull fails, any idea?</div>` +
  `<pre><code>$ docker pull myregistry.azurecr.io/shop/api:1.4\n${dnsError.replace(/"/g, '&quot;')}</code></pre></div>`;

let bot: TestBot;
let connector: RecordingConnector;

beforeAll(async () => {
  connector = await startConnector('127.47.1.2');
  // No probe may leave the machine: no local runner (the harness's default), and a resolver nobody answers.
  bot = await startTestBot('127.47.1.1', silentResolver('127.47.1.9'));
});

afterAll(async () => {
  await bot.close();
  await connector.close();
});

const invoke = (
  name: 'fetchTask' | 'submitAction',
  value: unknown,
  options: Parameters<typeof envelope>[2] = {},
): Json => messageAction(connector.serviceUrl, name, value, options);

/** Sends an invoke and returns the HTTP answer and whatever the bot posted to the connector meanwhile. */
const send = (activity: Json) => turn(bot, connector, activity);

interface Dialog {
  title: string;
  card: Json;
  height: unknown;
  width: unknown;
}

async function fetchDialog(activity: Json): Promise<Dialog> {
  const { status, body, calls } = await send(activity);
  expect(status).toBe(200);
  expect(calls).toEqual([]);
  expect(body).toMatchObject({ task: { type: 'continue', value: { card: { contentType: adaptive } } } });
  const value = (body.task as Json).value as Json;
  return {
    title: String(value.title),
    card: (value.card as Json).content as Json,
    height: value.height,
    width: value.width,
  };
}

describe.each<[Kind, Locale]>(
  (['channel', 'groupChat', 'personal'] as Kind[]).flatMap((kind) =>
    supportedLocales.map((locale): [Kind, Locale] => [kind, locale]),
  ),
)('Diagnose with acrcheck in a %s, chosen by someone whose Teams speaks %s', (kind, locale) => {
  const t = translator(locale);
  const options = { kind, locale: teamsLocale[locale] };
  let dialog: Dialog;

  beforeAll(async () => {
    dialog = await fetchDialog(invoke('fetchTask', actionValue(messagePayload(colleagueHtml)), options));
  });

  test('fetchTask opens a dialog with the diagnosis in the invoker’s language, not the message’s', () => {
    expect(dialog.title).toBe(t('message-action:title'));
    const text = textOf(dialog.card);
    expect(text).toContain(symptomText('dns-lookup', locale).title);
    expect(text).toContain('no such host');
    expect(text).toContain(t('cards:diagnosis.evidence'));
    expect(text).toContain(t('message-action:from', { name: ben.name }));
    expect(codeOf(dialog.card).join('\n')).toContain('myregistry.azurecr.io');
    expect(codeOf(dialog.card).some((code) => /\bmyregistry\b/.test(code) && code.startsWith('az '))).toBe(
      true,
    );
    expect([dialog.height, dialog.width]).toEqual(['large', 'large']);
  });

  test('the dialog card has no Action.Execute (dialogs do not run it), only toggles and the share button', () => {
    const actions = actionsOf(dialog.card);
    expect(actions.map((a) => a.type)).not.toContain('Action.Execute');
    expect(actions.filter((a) => a.type === 'Action.Submit')).toHaveLength(1);
    expect(shareButton(dialog.card)?.title).toBe(t('message-action:share'));
    expect(textOf(dialog.card)).toContain(t('message-action:shareHint'));
    expect(JSON.stringify(dialog.card)).not.toContain('Input.');
    const ids = new Set(
      JSON.stringify(dialog.card)
        .match(/"id":"[^"]+"/g)
        ?.map((m) => m.slice(6, -1)),
    );
    const targets = actionsOf(dialog.card).flatMap((a) => (a.targetElements as string[] | undefined) ?? []);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((id) => !ids.has(id))).toEqual([]);
    expect(rendererProblems(dialog.card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(dialog.card))).toBeLessThan(teamsLimits.bytes);
  });

  test('"Share" (submitAction) puts the full card, buttons included, into the message box', async () => {
    const share = shareButton(dialog.card);
    const { status, body, calls } = await send(
      invoke('submitAction', actionValue(messagePayload(colleagueHtml), { data: share?.data }), options),
    );
    expect(status).toBe(200);
    expect(calls).toEqual([]);
    expect(body).toMatchObject({ composeExtension: { type: 'result', attachmentLayout: 'list' } });
    const [attachment] = (body.composeExtension as { attachments: Json[] }).attachments;
    expect(attachment?.contentType).toBe(adaptive);
    expect(attachment?.preview).toEqual({
      contentType: 'application/vnd.microsoft.card.thumbnail',
      content: { title: t('message-action:preview') },
    });
    const card = attachment?.content as Json;
    expect(textOf(card)).toContain(symptomText('dns-lookup', locale).title);
    expect(codeOf(card)).toEqual(codeOf(dialog.card));
    const languages = buttonsOf(card).filter((b) => b.verb === 'card.translate');
    expect(languages.map((b) => b.data.locale).sort()).toEqual(
      supportedLocales.filter((l) => l !== locale).sort(),
    );
  });
});

describe('the same recognizer and cards as a paste', () => {
  test('the shared card is the card the bot answers the same paste with', async () => {
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(messagePayload(colleagueHtml))));
    const shared = await send(
      invoke('submitAction', actionValue(null, { data: shareButton(dialog.card)?.data })),
    );
    const pasted = await send(message(connector.serviceUrl, 'since this morning…', { html: colleagueHtml }));
    const card = (shared.body.composeExtension as { attachments: Json[] }).attachments[0]?.content;
    expect(card).toEqual(cardOf(pasted.calls[0]?.body));
  });

  test.each<[string, string, (t: ReturnType<typeof translator>) => string]>([
    [
      'entities and <nil> in a TLS error',
      '<p>Error response from daemon: Get &quot;https://myregistry.azurecr.io/v2/&quot;: tls: failed to verify certificate: x509: certificate signed by unknown authority &lt;nil&gt;</p>',
      () => symptomText('tls-interception', 'en').title,
    ],
    [
      'a German Teams message with a code block',
      // Written by a German colleague in Teams: umlauts as entities, the error in a code block.
      '<div><div><at id="0">acrcheck</at>&nbsp;Hallo zusammen, seit heute Morgen schl&auml;gt der Pull fehl:</div><pre><code>Error: initializing source docker://buildacr.azurecr.cn/tools/agent:1.8: pinging container registry buildacr.azurecr.cn: Get &quot;https://buildacr.azurecr.cn/v2/&quot;: dial tcp: lookup buildacr.azurecr.cn on 10.20.0.4:53: server misbehaving</code></pre></div>',
      () => symptomText('dns-lookup', 'en').title,
    ],
    [
      'a sign-in error: not a network problem',
      '<p>Error response from daemon: Head &quot;https://crmacr.azurecr.io/v2/crm/api/manifests/5.1&quot;: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.</p>',
      (t) => t('catalogue:kinds.auth.title'),
    ],
  ])('%s', async (_name, html, expected) => {
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(messagePayload(html))));
    expect(textOf(dialog.card)).toContain(expected(translator('en')));
    expect(shareButton(dialog.card)).not.toBeNull();
  });

  test.each(supportedLocales)(
    'a sign-in error shows the line that shows it, in the dialog and in the shared card (%s)',
    async (locale) => {
      const t = translator(locale);
      const html =
        '<p>Error response from daemon: Head &quot;https://crmacr.azurecr.io/v2/crm/api/manifests/5.1&quot;: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.</p>';
      const line = 'unauthorized: authentication required, visit https://aka.ms/acr/authorization';
      const options = { locale: teamsLocale[locale] };
      const dialog = await fetchDialog(invoke('fetchTask', actionValue(messagePayload(html)), options));
      expect(textOf(dialog.card)).toContain(t('catalogue:kinds.auth.title'));
      expect(textOf(dialog.card)).toContain(t('cards:diagnosis.evidence'));
      expect(textOf(dialog.card)).toContain(line);
      const shared = await send(
        invoke('submitAction', actionValue(null, { data: shareButton(dialog.card)?.data }), options),
      );
      const card = (shared.body.composeExtension as { attachments: Json[] }).attachments[0]?.content;
      expect(textOf(card)).toContain(t('cards:diagnosis.evidence'));
      expect(textOf(card)).toContain(line);
    },
  );

  test('a plain-text body (contentType text) keeps its <…> spans', async () => {
    const text = `${dnsError.replace('no such host', '<no such host>')}`;
    const dialog = await fetchDialog(
      invoke('fetchTask', actionValue(messagePayload(text, { contentType: 'text' }))),
    );
    expect(textOf(dialog.card)).toContain(symptomText('dns-lookup', 'en').title);
  });

  test('a message that is a card (another bot’s alert) is read from its attachment', async () => {
    const alert = {
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: 'Deployment shop-api failed', weight: 'Bolder' },
        { type: 'FactSet', facts: [{ title: 'Stage', value: 'pull image' }] },
        { type: 'TextBlock', text: dnsError, wrap: true },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Open run', url: 'https://example.invalid/run/1' }],
    };
    const payload = messagePayload('<attachment id="a1b2c3"></attachment>', {
      attachments: [{ id: 'a1b2c3', contentType: adaptive, content: JSON.stringify(alert), name: null }],
    });
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(payload)));
    expect(textOf(dialog.card)).toContain(symptomText('dns-lookup', 'en').title);
    expect(codeOf(dialog.card).join('\n')).toContain('myregistry.azurecr.io');
  });

  test('a paste under the limit whose Teams HTML copy is over it is diagnosed: only the text counts', async () => {
    // 1.9 MiB of log whose quotes Teams writes as &quot;: the HTML is larger than the limit, the text is not.
    const line = `${dnsError.replace(/"/g, '&quot;')}<br>`;
    const html = `<p>${line.repeat(Math.floor((maxPasteBytes * 0.95) / dnsError.length))}</p>`;
    expect(Buffer.byteLength(html)).toBeGreaterThan(maxPasteBytes);
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(messagePayload(html))));
    expect(textOf(dialog.card)).toContain(symptomText('dns-lookup', 'en').title);
  });

  test("acrcheck's own card is shown again in the invoker's language, not diagnosed as if its advice were an error", async () => {
    const { calls } = await send(message(connector.serviceUrl, dnsError));
    const card = cardOf(calls[0]?.body);
    expect(card).not.toBeNull();
    const payload = messagePayload('<attachment id="c1"></attachment>', {
      attachments: [{ id: 'c1', contentType: adaptive, content: JSON.stringify(card), name: null }],
      author: null,
    });
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(payload), { locale: 'de-DE' }));
    const de = translator('de');
    expect(textOf(dialog.card)).toContain(symptomText('dns-lookup', 'de').title);
    // Its own advice (the check-health codes, the other causes) did not turn into symptoms of their own.
    expect(textOf(dialog.card)).not.toContain(de('cards:diagnosis.alsoSeen', { symptoms: '' }).trim());
    expect(shareButton(dialog.card)).not.toBeNull();
  });

  test("a live probe card of acrcheck's gets a notice that it is not an error to diagnose", async () => {
    const probeCard = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'acrcheck · live probe' },
        { type: 'TextBlock', text: dnsError },
      ],
      actions: [
        {
          type: 'Action.Execute',
          verb: 'probe.run',
          data: { verb: 'probe.run', registry: 'myregistry.azurecr.io' },
        },
      ],
    };
    const payload = messagePayload('<attachment id="p1"></attachment>', {
      attachments: [{ id: 'p1', contentType: adaptive, content: JSON.stringify(probeCard), name: null }],
    });
    const { status, body } = await send(invoke('fetchTask', actionValue(payload), { locale: 'zh-TW' }));
    expect(status).toBe(200);
    expect(body).toEqual({
      task: { type: 'message', value: translator('zh-TW')('message-action:ownProbe') },
    });
  });

  test('a message with no error gets the honest "what I recognize" card, and nothing to share', async () => {
    const html = `<p><at id="0">${ben.name}</at>&nbsp;lunch at 12? The coffee machine is broken again.</p>`;
    const dialog = await fetchDialog(
      invoke('fetchTask', actionValue(messagePayload(html)), { locale: 'de-DE' }),
    );
    const t = translator('de');
    expect(textOf(dialog.card)).toContain(t('catalogue:unrecognized.title'));
    expect(textOf(dialog.card)).toContain(t('catalogue:unrecognized.example'));
    expect(shareButton(dialog.card)).toBeNull();
    expect(actionsOf(dialog.card).map((a) => a.type)).not.toContain('Action.Execute');
  });

  test('an unknown author is left out rather than guessed', async () => {
    const dialog = await fetchDialog(
      invoke('fetchTask', actionValue(messagePayload(colleagueHtml, { author: null }))),
    );
    expect(textOf(dialog.card)).not.toContain(translator('en')('message-action:from', { name: '' }).trim());
  });

  test('an author name is shown as text, never as Markdown', async () => {
    const dialog = await fetchDialog(
      invoke(
        'fetchTask',
        actionValue(messagePayload(colleagueHtml, { author: '[Ben](https://evil.example)' })),
      ),
    );
    const from = (dialog.card.body as Json[])[0] as Json;
    expect(from.type).toBe('RichTextBlock');
    expect(JSON.stringify(from)).toContain('evil.example');
  });
});

describe('with the default runners (live probes on)', () => {
  let probing: TestBot;

  beforeAll(async () => {
    // The local runner is on, so cards may offer a probe; nothing here starts one, and its resolver is on loopback.
    probing = await startTestBot('127.47.1.3', {
      ACRCHECK_LOCAL_RUNNER: 'true',
      ...silentResolver('127.47.1.9'),
    });
  });
  afterAll(() => probing.close());

  test('the dialog has no Action.Execute, and the shared card is still the paste’s card', async () => {
    const post = async (activity: Json): Promise<Json> =>
      (await postActivity(probing, activity)).body as Json;
    const fetched = await post(invoke('fetchTask', actionValue(messagePayload(colleagueHtml))));
    const dialog = ((fetched.task as Json).value as { card: { content: Json } }).card.content;
    expect(actionsOf(dialog).map((a) => a.type)).not.toContain('Action.Execute');
    const shared = await post(invoke('submitAction', actionValue(null, { data: shareButton(dialog)?.data })));
    const card = (shared.composeExtension as { attachments: Json[] }).attachments[0]?.content;

    const before = connector.calls.length;
    await postActivity(
      probing,
      message(connector.serviceUrl, 'since this morning…', { html: colleagueHtml }),
    );
    expect(card).toEqual(cardOf(connector.calls[before]?.body));
    // Live probes are on: the shared card, unlike the dialog, offers one.
    expect(buttonsOf(card).map((b) => b.verb)).toContain('probe.run');
  });
});

describe('malformed invokes get a clear answer with HTTP 200, never a 5xx', () => {
  test('every refusal has its sentence in every language', () => {
    for (const locale of supportedLocales) {
      const refused = (loadResources()[locale]?.['message-action'] as { refused: Json }).refused;
      expect(Object.keys(refused).sort()).toEqual([...refusalReasons].sort());
    }
  });

  const notices: [string, 'fetchTask' | 'submitAction', unknown, string, Json][] = [
    ['no value at all', 'fetchTask', undefined, 'payload', {}],
    ['a string value', 'fetchTask', 'diagnose', 'payload', {}],
    ['an array value', 'submitAction', [1, 2], 'payload', {}],
    ['no commandId', 'fetchTask', { commandContext: 'message' }, 'payload', {}],
    ['a numeric commandId', 'fetchTask', { commandId: 7, messagePayload: {} }, 'payload', {}],
    [
      'an unknown commandId',
      'fetchTask',
      actionValue(messagePayload(colleagueHtml), { commandId: 'shareMessage' }),
      'command',
      { command: 'shareMessage' },
    ],
    [
      'the action from the compose box',
      'fetchTask',
      actionValue(undefined, { commandContext: 'compose' }),
      'context',
      {},
    ],
    ['no messagePayload', 'fetchTask', actionValue(undefined), 'payload', {}],
    ['a messagePayload without body', 'fetchTask', actionValue({ id: '1' }), 'payload', {}],
    [
      'a body whose content is not text',
      'fetchTask',
      actionValue({ body: { contentType: 'html', content: 42 } }),
      'payload',
      {},
    ],
    [
      'a bot message preview being sent',
      'submitAction',
      actionValue(null, { botMessagePreviewAction: 'send', botActivityPreview: [] }),
      'preview',
      {},
    ],
    [
      'an unknown preview action',
      'submitAction',
      actionValue(null, { botMessagePreviewAction: 'bogus' }),
      'preview',
      {},
    ],
  ];

  test.each(notices)('%s → a notice', async (_name, name, value, reason, params) => {
    const { status, body, calls } = await send(invoke(name, value, { locale: 'de-DE' }));
    expect(status).toBe(200);
    expect(calls).toEqual([]);
    expect(body).toEqual({
      task: { type: 'message', value: translator('de')(`message-action:refused.${reason}`, params) },
    });
  });

  test('a huge commandId is cut in the notice', async () => {
    const { body } = await send(invoke('fetchTask', actionValue(null, { commandId: 'x'.repeat(100_000) })));
    expect(String((body.task as Json).value).length).toBeLessThan(400);
  });

  test('a message body over the size limit → the too-large card in the dialog', async () => {
    const huge = `<p>${dnsError}</p><p>${'x'.repeat(maxPasteBytes)}</p>`;
    const dialog = await fetchDialog(
      invoke('fetchTask', actionValue(messagePayload(huge)), { locale: 'zh-TW' }),
    );
    expect(dialog.title).toBe(translator('zh-TW')('message-action:title'));
    expect(textOf(dialog.card)).toContain(translator('zh-TW')('cards:error.too-large.title'));
    expect(shareButton(dialog.card)).toBeNull();
  });

  test('attachments that are not readable cards are ignored', async () => {
    const nested = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const payload = messagePayload(`<p>${dnsError}</p>`, {
      attachments: [
        { contentType: adaptive, content: '{not json' },
        { contentType: adaptive, content: nested },
        { contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/x.log', name: 'x.log' },
        'not an object',
        { contentType: 'text/html', content: { html: true } },
      ],
    });
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(payload)));
    expect(textOf(dialog.card)).toContain(symptomText('dns-lookup', 'en').title);
  });

  const tampered: [string, unknown][] = [
    ['no data', undefined],
    [
      'data that is not the share button',
      { verb: 'card.translate', locale: 'en', card: { view: 'help', welcome: false } },
    ],
    ['an unknown language', { verb: shareVerb, locale: 'fr', card: { view: 'help', welcome: false } }],
    [
      'a registry that is not an Azure registry',
      {
        verb: shareVerb,
        locale: 'en',
        card: { view: 'registry', registry: 'evil.example.com', regions: [] },
      },
    ],
    [
      'a symptom that does not exist',
      {
        verb: shareVerb,
        locale: 'en',
        card: {
          view: 'diagnosis',
          verdict: 'network',
          kind: null,
          registry: null,
          symptoms: [{ id: 'rm-rf', score: 1, evidence: '' }],
          causes: [],
        },
      },
    ],
  ];

  test.each(tampered)(
    'submitAction with %s → the "could not be used" card in the dialog',
    async (_name, data) => {
      const dialog = await fetchDialog(
        invoke('submitAction', actionValue(null, { data }), { locale: 'de-DE' }),
      );
      expect(textOf(dialog.card)).toContain(translator('de')('cards:error.bad-action.title'));
      expect(shareButton(dialog.card)).toBeNull();
    },
  );
});

describe('cards shared through the message box', () => {
  test('an Action.Submit on them (composeExtension/onCardButtonClicked) is answered in a new message', async () => {
    const dialog = await fetchDialog(invoke('fetchTask', actionValue(messagePayload(colleagueHtml))));
    const shared = await send(
      invoke('submitAction', actionValue(null, { data: shareButton(dialog.card)?.data })),
    );
    const card = (shared.body.composeExtension as { attachments: Json[] }).attachments[0]?.content;
    const german = buttonsOf(card).find((b) => b.verb === 'card.translate' && b.data.locale === 'de');
    const activity = envelope(connector.serviceUrl, 'invoke', { kind: 'channel' });
    activity.name = 'composeExtension/onCardButtonClicked';
    activity.value = german?.data;
    const { status, calls } = await send(activity);
    expect(status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(textOf(cardOf(calls[0]?.body))).toContain(symptomText('dns-lookup', 'de').title);
  });
});
