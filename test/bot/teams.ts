/** Activities shaped as the Teams channel sends them (captured field names, trimmed to what matters). */

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
