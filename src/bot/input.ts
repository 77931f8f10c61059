import { resolveLocale, type Locale } from '../i18n';
import { normalize } from '../recognize';

/** The parts of a Bot Framework activity the bot reads; structural, so plain objects can be tested. */
export interface IncomingActivity {
  type?: string;
  name?: string;
  text?: string;
  locale?: string;
  value?: unknown;
  replyToId?: string;
  /** `isTargeted`: Teams delivered a private (targeted) message to the bot, as its slash commands are. */
  recipient?: { id?: string; name?: string; isTargeted?: boolean };
  conversation?: { id?: string; conversationType?: string; isGroup?: boolean };
  entities?: { type?: string; [key: string]: unknown }[];
  attachments?: { contentType?: string; content?: unknown }[];
}

/** Where a message was written: Teams' `conversationType` values. */
export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** A message turned into plain input: what the handler and the commands work with. */
export interface MessageInput {
  /** The whole message as Teams delivered it, the bot's mention removed; Teams HTML when present. */
  text: string;
  /** The message as one plain line of text (entities decoded, whitespace collapsed), for commands. */
  line: string;
  locale: Locale;
  conversation: ConversationKind;
  /**
   * True when the message is addressed to this bot: it @mentions it, or it is a targeted message (Teams' slash
   * commands, `recipient.isTargeted`), which carries no mention. Channels and group chats only deliver those.
   */
  mentioned: boolean;
  /** The data of an `Action.Submit` button (a message with `value`), or null. */
  submit: unknown;
  /**
   * The message is only cards: no text, no HTML text, no `value`. Someone posted a card (one shared from the
   * message box lands in a chat with the bot like this); they did not ask the bot anything.
   */
  cardOnly: boolean;
  /** The id of the message a button was clicked on (the card to update). */
  replyToId: string | null;
}

/** The locale of a turn: `activity.locale`, else the `clientInfo` entity's, else English. */
export function localeOf(activity: IncomingActivity): Locale {
  const fromEntity = activity.entities?.find((e) => e.type === 'clientInfo')?.locale;
  const tag = activity.locale ?? (typeof fromEntity === 'string' ? fromEntity : undefined);
  return resolveLocale(tag);
}

/** Teams' conversation type; anything unknown is treated as the strictest, a channel. */
export function conversationKindOf(activity: IncomingActivity): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'personal' || type === 'groupChat' || type === 'channel') return type;
  if (type === undefined && activity.conversation?.isGroup !== true) return 'personal';
  return 'channel';
}

/** The display text of each mention of this bot, as the mention entities carry it (`<at>AcrBot</at>`). */
function botMentions(activity: IncomingActivity): string[] {
  const botId = activity.recipient?.id;
  if (!botId) return [];
  return (activity.entities ?? [])
    .filter((e) => e.type === 'mention' && (e.mentioned as { id?: unknown } | undefined)?.id === botId)
    .map((e) => (typeof e.text === 'string' ? e.text : ''))
    .filter((text) => text.length > 0);
}

/** `<at>AcrBot</at>` → `AcrBot`. */
function mentionName(entityText: string): string {
  const open = entityText.indexOf('>');
  const close = entityText.lastIndexOf('</');
  return open >= 0 && close > open ? entityText.slice(open + 1, close) : entityText;
}

/**
 * Removes the mention elements of Teams HTML whose inner text is one of `names`: `<at …>name</at>` and
 * `<span itemtype="http://schema.skype.com/Mention" …>name</span>`. A scan, not a regex, so a megabyte of
 * unclosed tags stays linear.
 */
export function removeHtmlMentions(html: string, names: readonly string[]): string {
  if (names.length === 0) return html;
  const lower = html.toLowerCase();
  const longestName = Math.max(...names.map((n) => n.length)) * 8 + 16;
  // Scanning left to right, each search starts further right: a found (or missing) closing tag stays valid.
  const closings = new Map<string, number>();
  const closingAfter = (closing: string, from: number): number => {
    const known = closings.get(closing);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const found = lower.indexOf(closing, from);
    closings.set(closing, found);
    return found;
  };
  let out = '';
  let at = 0;
  for (;;) {
    const start = html.indexOf('<', at);
    if (start === -1) break;
    const tag = /^<(at|span)\b/.exec(lower.slice(start, start + 6));
    const end = tag ? html.indexOf('>', start) : -1;
    if (tag && end === -1) break;
    if (!tag) {
      out += html.slice(at, start + 1);
      at = start + 1;
      continue;
    }
    const element = tag[1] ?? '';
    const closing = `</${element}>`;
    const isMention =
      element === 'at' ||
      /itemtype\s*=\s*["']http:\/\/schema\.skype\.com\/Mention["']/i.test(html.slice(start, end + 1));
    const closeAt = isMention ? closingAfter(closing, end + 1) : -1;
    // A mention's inner text is a display name: longer spans are not one, and are not copied to compare.
    const inner = closeAt === -1 || closeAt - end > longestName ? '' : html.slice(end + 1, closeAt);
    if (inner && names.includes(normalize(inner).trim())) {
      out += html.slice(at, start);
      at = closeAt + closing.length;
    } else {
      out += html.slice(at, end + 1);
      at = end + 1;
    }
  }
  return out + html.slice(at);
}

/** The content of the first `text/html` attachment, where Teams keeps what it stripped from `text`. */
function htmlAttachment(activity: IncomingActivity): string | null {
  const attachment = activity.attachments?.find(
    (a) => a.contentType === 'text/html' && typeof a.content === 'string',
  );
  return attachment ? (attachment.content as string) : null;
}

/** True when the activity carries a card (`application/vnd.microsoft.card.adaptive`, `….hero`, …). */
function hasCard(activity: IncomingActivity): boolean {
  return (activity.attachments ?? []).some((a) =>
    a.contentType?.startsWith('application/vnd.microsoft.card.'),
  );
}

// Commands are short; the start of a long paste is enough to tell it is not one.
const maxLine = 4096;

/** The recognizer's normalization (tags, entities, odd spaces) on one line: the message as a command sees it. */
function plainLine(text: string): string {
  return normalize(text.slice(0, maxLine)).replace(/\s+/g, ' ').trim();
}

/**
 * Turns a message activity into plain input. The bot's own mention is found by entity
 * (`mentioned.id === recipient.id`) and removed from both the text and the HTML; other mentions stay.
 * Teams drops `<…>` spans from `text` but keeps them in the `text/html` attachment, so the paste is the
 * HTML when there is one.
 */
export function readMessage(activity: IncomingActivity): MessageInput {
  const mentions = botMentions(activity);
  let text = activity.text ?? '';
  for (const mention of mentions) text = text.split(mention).join(' ');
  const html = htmlAttachment(activity);
  const paste = html === null ? text : removeHtmlMentions(html, mentions.map(mentionName));
  const fromText = plainLine(text);
  return {
    text: paste.trim() ? paste : text,
    line: fromText || plainLine(paste),
    locale: localeOf(activity),
    conversation: conversationKindOf(activity),
    mentioned: mentions.length > 0 || activity.recipient?.isTargeted === true,
    submit: activity.value ?? null,
    cardOnly:
      (activity.value ?? null) === null &&
      !activity.text?.trim() &&
      (html === null || !normalize(html).trim()) &&
      hasCard(activity),
    replyToId: activity.replyToId ?? null,
  };
}

/**
 * The verb and data of an `adaptiveCard/action` invoke (`value.action`). A malformed value yields an
 * empty verb and no data, which the action handler refuses with an error card.
 */
export function readExecute(value: unknown): { verb: string; data: unknown } {
  const action = (value as { action?: unknown } | null)?.action as {
    type?: unknown;
    verb?: unknown;
    data?: unknown;
  } | null;
  if (typeof action !== 'object' || action === null || action.type !== 'Action.Execute')
    return { verb: '', data: null };
  return { verb: typeof action.verb === 'string' ? action.verb : '', data: action.data };
}
