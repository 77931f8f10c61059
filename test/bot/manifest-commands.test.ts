import { manifestCommands, type ManifestCommand } from '../../scripts/package';
import { messageActionCommandId } from '../../src/bot/message-action';
import { resolveLocale, translator, type Locale } from '../../src/i18n';
import {
  postActivity,
  silentResolver,
  startConnector,
  startTestBot,
  turn,
  type RecordingConnector,
  type TestBot,
} from '../http/harness';
import { cardOf, shareButtonOf, textOf, type Json } from './cards';
import { actionValue, message, messageAction, messagePayload, type Kind } from './teams';

const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';
const adaptive = 'application/vnd.microsoft.card.adaptive';

let bot: TestBot;
let connector: RecordingConnector;

beforeAll(async () => {
  connector = await startConnector('127.47.2.2');
  // `acrcheck <registry>` may start a probe: no local runner (the harness's default), and a resolver nobody answers.
  bot = await startTestBot('127.47.2.1', silentResolver('127.47.2.9'));
});

afterAll(async () => {
  await bot.close();
  await connector.close();
});

const commands = manifestCommands();

/** What a real answer to each bot command shows; a command the manifest adds must be added here too. */
const answers: Record<string, (t: ReturnType<typeof translator>) => string> = {
  acrcheck: () => 'myregistry.azurecr.io',
  help: (t) => t('cards:help.title'),
};

/** The manifest's scopes as the conversations Teams delivers them from. */
const kindOf: Record<string, Kind> = { personal: 'personal', team: 'channel', groupChat: 'groupChat' };

/** The language tag Teams sends for a manifest language (`zh-tw` → `zh-TW`). */
function teamsLocale(language: string): string {
  return { en: 'en-US', de: 'de-DE', 'zh-tw': 'zh-TW' }[language] ?? language;
}

/** What a user sends for a command, as the manifest shows it: its title, and a registry where it takes one. */
function typed(command: ManifestCommand): string {
  return /<[^>]+>/.test(command.description) ? `${command.title} myregistry` : command.title;
}

/** The message Teams delivers for a command typed in `kind` through `trigger`. */
function delivery(command: ManifestCommand, kind: Kind, trigger: string): Json {
  const locale = teamsLocale(command.language);
  if (kind === 'personal') {
    return message(connector.serviceUrl, trigger === 'slash' ? `/${typed(command)}` : typed(command), {
      kind,
      locale,
    });
  }
  if (trigger === 'mention')
    return message(connector.serviceUrl, typed(command), { kind, locale, mention: true });
  // From the slash menu: a targeted (private) message to the bot with the command's name as its text, no mention.
  const targeted = message(connector.serviceUrl, typed(command), { kind, locale });
  targeted.recipient = { ...(targeted.recipient as Json), isTargeted: true };
  return targeted;
}

function unrecognizedOrRefused(text: string, locale: Locale): boolean {
  const t = translator(locale);
  // Sentences only those cards carry (short titles can occur inside other cards' text).
  return [
    t('catalogue:unrecognized.recognizes'),
    t('cards:error.registry.hint'),
    t('cards:error.bad-action.hint'),
    t('cards:error.internal.hint'),
  ].some((sentence) => text.includes(sentence));
}

test('the manifest lists bot commands and the message action in every language', () => {
  expect(new Set(commands.map((c) => c.language))).toEqual(new Set(['en', 'de', 'zh-tw']));
  expect(commands.filter((c) => c.kind === 'bot').length).toBeGreaterThan(0);
  expect(commands.filter((c) => c.kind === 'message-action').map((c) => c.id)).toEqual(
    ['en', 'de', 'zh-tw'].map(() => messageActionCommandId),
  );
  for (const command of commands.filter((c) => c.kind === 'bot'))
    expect(Object.keys(answers)).toContain(command.title);
});

const botCases = commands
  .filter((c) => c.kind === 'bot')
  .flatMap((command) =>
    command.scopes.flatMap((scope) =>
      command.triggers.map((trigger): [string, string, string, string, ManifestCommand] => [
        command.title,
        command.language,
        scope,
        trigger,
        command,
      ]),
    ),
  );

test.each(botCases)(
  '%s (%s), in the %s scope through its %s trigger, gets a real answer card',
  async (title, language, scope, trigger, command) => {
    const kind = kindOf[scope];
    if (!kind) throw new Error(`unknown scope ${scope}`);
    const activity = delivery(command, kind, trigger);
    const { status, calls } = await turn(bot, connector, activity);
    expect(status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(
      `/v3/conversations/${(activity.conversation as { id: string }).id}/activities/${String(activity.id)}`,
    );
    const locale = resolveLocale(language);
    const text = textOf(cardOf(calls[0]?.body));
    expect(text).toContain(answers[title]?.(translator(locale)));
    expect(unrecognizedOrRefused(text, locale)).toBe(false);
  },
);

test.each(['/acrcheck myregistry', '/help'])(
  'a targeted %s with its leading slash is answered in a channel too',
  async (text) => {
    const targeted = message(connector.serviceUrl, text, { kind: 'channel' });
    targeted.recipient = { ...(targeted.recipient as Json), isTargeted: true };
    const {
      calls: [call],
    } = await turn(bot, connector, targeted);
    const card = textOf(cardOf(call?.body));
    expect(card).toContain(text === '/help' ? translator('en')('cards:help.title') : 'myregistry.azurecr.io');
  },
);

test('a channel message neither mentioning nor targeting the bot is still left alone', async () => {
  const { calls } = await turn(
    bot,
    connector,
    message(connector.serviceUrl, 'acrcheck myregistry', { kind: 'channel' }),
  );
  expect(calls).toEqual([]);
});

const actionCases = commands
  .filter((c) => c.kind === 'message-action')
  .flatMap((command) =>
    command.scopes.map((scope): [string, string, string, ManifestCommand] => [
      command.title,
      command.language,
      scope,
      command,
    ]),
  );

test.each(actionCases)(
  '"%s" (%s) on a message in the %s scope opens the diagnosis under that title and shares it',
  async (title, language, scope, command) => {
    const kind = kindOf[scope];
    if (!kind) throw new Error(`unknown scope ${scope}`);
    const locale = resolveLocale(language);
    const invoke = (name: 'fetchTask' | 'submitAction', value: Json): Json =>
      messageAction(connector.serviceUrl, name, value, { kind, locale: teamsLocale(language) });
    const payload = messagePayload(`<p>${dnsError.replace(/"/g, '&quot;')}</p>`);
    const value = actionValue(payload, { commandId: command.id });
    const fetched = await postActivity(bot, invoke('fetchTask', value));
    expect(fetched.status).toBe(200);
    const task = (fetched.body as { task: { type: string; value: { title: string; card: Json } } }).task;
    expect(task.type).toBe('continue');
    expect(task.value.title).toBe(title);
    // The local chat page's More actions menu shows the action as Teams does, under the manifest's title.
    expect(translator(locale)('bot:dev.diagnose')).toBe(title);
    const dialog = task.value.card.content as Json;
    const text = textOf(dialog);
    expect(unrecognizedOrRefused(text, locale)).toBe(false);
    expect(text).toContain('myregistry.azurecr.io');

    const data = shareButtonOf(dialog)?.data;
    expect(data).toBeDefined();
    const shared = await postActivity(bot, invoke('submitAction', { ...value, data }));
    expect(shared.status).toBe(200);
    const result = (shared.body as { composeExtension: { type: string; attachments: Json[] } })
      .composeExtension;
    expect(result.type).toBe('result');
    expect(result.attachments[0]?.contentType).toBe(adaptive);
    expect(textOf(result.attachments[0]?.content)).toContain('myregistry.azurecr.io');
  },
);
