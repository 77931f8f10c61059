/** Activities shaped as the Teams channel sends them (captured field names, trimmed to what matters). */
import { messageActionCommandId } from '../../src/bot/message-action';

export const botAccount = { id: '28:7c1f0b1e-acrcheck', name: 'acrcheck' };
export const ann = {
  id: '29:1ann-aad-id',
  name: 'Ann Example',
  aadObjectId: '6a0b4b1e-0000-4000-8000-00000000a11e',
};
export const ben = {
  id: '29:1ben-aad-id',
  name: 'Ben Example',
  aadObjectId: '6a0b4b1e-0000-4000-8000-00000000be11',
};
const tenant = { id: '72f988bf-0000-4000-8000-000000000001' };

export type Kind = 'personal' | 'channel' | 'groupChat';

let counter = 0;

function conversationFor(kind: Kind, id: string): Record<string, unknown> {
  if (kind === 'personal') return { id: `a:${id}`, conversationType: 'personal', tenantId: tenant.id };
  if (kind === 'groupChat')
    return { id: `19:${id}@thread.v2`, conversationType: 'groupChat', isGroup: true, tenantId: tenant.id };
  return {
    id: `19:${id}@thread.tacv2;messageid=1700000000000`,
    conversationType: 'channel',
    isGroup: true,
    tenantId: tenant.id,
  };
}

/** The envelope of every activity: ids, channel, serviceUrl, accounts, conversation, locale. */
export function envelope(
  serviceUrl: string,
  type: string,
  options: { kind?: Kind; conversation?: string; locale?: string | null; clientLocale?: string } = {},
): Record<string, unknown> {
  const kind = options.kind ?? 'personal';
  const locale = options.locale === undefined ? 'en-US' : options.locale;
  const activity: Record<string, unknown> = {
    type,
    id: `1700000000${String(++counter).padStart(3, '0')}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: ann,
    recipient: botAccount,
    conversation: conversationFor(kind, options.conversation ?? `conv-${kind}-${counter}`),
    channelData: {
      tenant,
      ...(kind === 'channel'
        ? { teamsChannelId: '19:chan@thread.tacv2', teamsTeamId: '19:team@thread.tacv2' }
        : {}),
    },
    entities: [
      {
        type: 'clientInfo',
        locale: options.clientLocale ?? locale ?? 'en-US',
        country: 'US',
        platform: 'Web',
        timezone: 'Europe/Berlin',
      },
    ],
  };
  if (locale !== null) activity.locale = locale;
  return activity;
}

/** A message; in channels and group chats `mention` puts `<at>acrcheck</at>` in front and adds its entity. */
export function message(
  serviceUrl: string,
  text: string,
  options: Parameters<typeof envelope>[2] & { mention?: boolean; html?: string } = {},
): Record<string, unknown> {
  const activity = envelope(serviceUrl, 'message', options);
  const at = `<at>${botAccount.name}</at>`;
  activity.text = options.mention ? `${at} ${text}` : text;
  activity.textFormat = 'plain';
  if (options.mention) {
    (activity.entities as unknown[]).push({ type: 'mention', mentioned: botAccount, text: at });
  }
  if (options.html !== undefined)
    activity.attachments = [{ contentType: 'text/html', content: options.html }];
  return activity;
}

/** `Action.Execute` as Teams sends it: the invoke `adaptiveCard/action`. */
export function execute(
  serviceUrl: string,
  action: { verb: unknown; data: unknown },
  replyToId: string,
  options: Parameters<typeof envelope>[2] = {},
): Record<string, unknown> {
  return {
    ...envelope(serviceUrl, 'invoke', options),
    name: 'adaptiveCard/action',
    replyToId,
    value: {
      action: { type: 'Action.Execute', id: 'btn', verb: action.verb, data: action.data },
      trigger: 'manual',
    },
  };
}

/** `Action.Submit` as Teams sends it: a message with `value` and no text. */
export function submit(
  serviceUrl: string,
  data: unknown,
  replyToId: string,
  options: Parameters<typeof envelope>[2] = {},
): Record<string, unknown> {
  return { ...envelope(serviceUrl, 'message', options), replyToId, value: data };
}

export function membersAdded(
  serviceUrl: string,
  members: object[],
  options: Parameters<typeof envelope>[2] = {},
): Record<string, unknown> {
  return { ...envelope(serviceUrl, 'conversationUpdate', options), membersAdded: members };
}

export function installationUpdate(
  serviceUrl: string,
  action: string,
  options: Parameters<typeof envelope>[2] = {},
): Record<string, unknown> {
  return { ...envelope(serviceUrl, 'installationUpdate', options), action };
}

/**
 * A message that is only a card, as a chat with the bot receives it when someone sends a card from the message
 * box (a card shared through "Diagnose with acrcheck"): no text, the card as an attachment, no `value`.
 */
export function cardMessage(
  serviceUrl: string,
  card: unknown,
  options: Parameters<typeof envelope>[2] & { html?: string } = {},
): Record<string, unknown> {
  const activity = envelope(serviceUrl, 'message', options);
  activity.attachments = [
    { contentType: 'application/vnd.microsoft.card.adaptive', content: card },
    ...(options.html === undefined ? [] : [{ contentType: 'text/html', content: options.html }]),
  ];
  return activity;
}

/** `messagePayload` as Teams sends it for the message an action was chosen on (fields of Graph's chatMessage). */
export function messagePayload(
  content: string,
  options: { contentType?: string; attachments?: unknown[]; author?: string | null } = {},
): Record<string, unknown> {
  const author = options.author === undefined ? ben.name : options.author;
  return {
    id: '1700000000777',
    replyToId: null,
    createdDateTime: '2026-11-25T08:12:03.120Z',
    lastModifiedDateTime: null,
    deleted: false,
    subject: null,
    summary: null,
    importance: 'normal',
    locale: 'en-us',
    linkToMessage: 'https://teams.microsoft.com/l/message/19:chan@thread.tacv2/1700000000777',
    body: { contentType: options.contentType ?? 'html', content },
    from: {
      device: null,
      conversation: null,
      user:
        author === null ? null : { userIdentityType: 'aadUser', id: ben.aadObjectId, displayName: author },
      application: null,
    },
    reactions: [],
    mentions: [
      {
        id: 0,
        mentionText: ben.name,
        mentioned: { user: { userIdentityType: 'aadUser', id: ben.aadObjectId, displayName: ben.name } },
      },
    ],
    attachments: options.attachments ?? [],
  };
}

/** The `value` of a message action invoke: this app's command on a message, and `extra` (the dialog's `data`). */
export function actionValue(payload: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    commandId: messageActionCommandId,
    commandContext: 'message',
    requestId: '7f7d22efe5414818becebcec649a7912',
    context: { theme: 'default' },
    messagePayload: payload,
    ...extra,
  };
}

/** A message action invoke as Teams sends it: `composeExtension/fetchTask` or `…/submitAction`. */
export function messageAction(
  serviceUrl: string,
  name: 'fetchTask' | 'submitAction',
  value: unknown,
  options: Parameters<typeof envelope>[2] = {},
): Record<string, unknown> {
  const activity = envelope(serviceUrl, 'invoke', options);
  activity.name = `composeExtension/${name}`;
  activity.value = value;
  (activity.channelData as Record<string, unknown>).source = { name: 'message' };
  return activity;
}
