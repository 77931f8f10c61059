/**
 * "Diagnose with acrcheck" on a message: a message extension action with `fetchTask`. Teams sends
 * `composeExtension/fetchTask` with the message in `value.messagePayload`, answered with a dialog showing the
 * diagnosis in the invoker's language. The dialog's button sends `composeExtension/submitAction`, answered with
 * the card as a compose-box result: Teams accepts that for message actions in channels, group chats and one-to-one
 * chats alike, and it needs no bot in the conversation, while a bot-posted card (`botMessagePreview`) does.
 * Both invokes must be answered within 5 seconds.
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit
 */
import type { Card } from '../cards/bind';
import { dialogCard, readOnly } from '../cards/dialog';
import { AcrcheckError, isAcrcheckError } from '../errors';
import { translator, type Locale } from '../i18n';
import { maxPasteBytes, recognize } from '../recognize';
import { actions } from './actions';
import { verbs } from './verbs';
import { clip, render, renderError, viewData, type RenderOptions, type View } from './views';

/** The message action's command id, exactly as `appPackage/manifest.json` declares it. */
export const messageActionCommandId = 'diagnose';

/** The verb of the dialog's share button; it only ever arrives in `composeExtension/submitAction`. */
export const shareVerb = 'diagnosis.share';

/** The two invokes of the message action: the dialog is fetched, then its share button submits it. */
export const messageActionInvokes = {
  fetch: 'composeExtension/fetchTask',
  submit: 'composeExtension/submitAction',
} as const;
export type MessageActionKind = keyof typeof messageActionInvokes;

/** A message action invoke as plain input: its kind, Teams' `activity.value` unread, the invoker's language. */
export interface MessageActionInput {
  kind: MessageActionKind;
  value: unknown;
  /** The language of the person who chose the action (not the message's `locale`). */
  locale: Locale;
}

/** The message the action was chosen on, as the recognizer reads it. */
export interface ChosenMessage {
  /** The body's Teams HTML, then the text of the message's cards (a card message's body is only `<attachment>`). */
  text: string;
  /** The author's display name; null when Teams did not send one. */
  author: string | null;
  /**
   * Set when the message is one of acrcheck's own cards: `view` is the view its language buttons carry (shown
   * again, never diagnosed as text), or null for a card without one (a live probe's).
   */
  own: { view: unknown } | null;
}

/** What the bot answers: a dialog showing a card, a short notice, or a card for the user's message box. */
export type MessageActionReply =
  | { reply: 'dialog'; title: string; card: Card; size: 'medium' | 'large' }
  | { reply: 'notice'; text: string }
  | { reply: 'compose'; card: Card; preview: string };

interface Attachment {
  contentType: string;
  content: unknown;
  preview?: Attachment;
}

/** The invoke response body Teams reads (`MessagingExtensionActionResponse`). */
export type MessageActionResponse =
  | {
      task:
        | {
            type: 'continue';
            value: { title: string; height: 'medium' | 'large'; width: 'medium' | 'large'; card: Attachment };
          }
        | { type: 'message'; value: string };
    }
  | { composeExtension: { type: 'result'; attachmentLayout: 'list'; attachments: Attachment[] } };

/** Why an invoke is refused with a notice; each has its sentence under `message-action:refused.<reason>`. */
export const refusalReasons = ['payload', 'command', 'context', 'preview'] as const;
type RefusalReason = (typeof refusalReasons)[number];

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function refuse(reason: RefusalReason, params: Record<string, string> = {}): never {
  throw new AcrcheckError('ACRCHECK_BAD_ACTION', `message action refused: ${reason}`, { reason, ...params });
}

function refusalOf(err: AcrcheckError): RefusalReason | null {
  const reason = err.params.reason;
  return (refusalReasons as readonly unknown[]).includes(reason) ? (reason as RefusalReason) : null;
}

const adaptiveCard = 'application/vnd.microsoft.card.adaptive';
const cardContentTypes = new Set([
  adaptiveCard,
  'application/vnd.microsoft.card.hero',
  'application/vnd.microsoft.card.thumbnail',
]);
// Keys whose strings a person reads on a card (text blocks, titles, facts, code blocks); button payloads are skipped.
const cardTextKeys = ['title', 'subtitle', 'text', 'value', 'codeSnippet'] as const;
const skippedCardKeys = new Set(['data', 'msteams', 'selectAction', '$schema']);
const maxAttachments = 20;
const maxCardDepth = 32;
const maxCardNodes = 20_000;
const maxAuthor = 80;

/** The strings of a card in reading order; the walk is bounded in depth and size, whatever the JSON. */
function cardStrings(root: unknown): string[] {
  const strings: string[] = [];
  const stack: [unknown, number][] = [[root, 0]];
  for (let visited = 0; stack.length > 0 && visited < maxCardNodes; visited++) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (Array.isArray(node)) {
      if (depth < maxCardDepth) for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], depth + 1]);
      continue;
    }
    if (!isRecord(node)) continue;
    for (const key of cardTextKeys) if (typeof node[key] === 'string') strings.push(node[key]);
    if (depth >= maxCardDepth) continue;
    const children = Object.entries(node).filter(
      ([key, value]) => typeof value === 'object' && value !== null && !skippedCardKeys.has(key),
    );
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]?.[1], depth + 1]);
  }
  return strings;
}

const ownVerbs: ReadonlySet<unknown> = new Set(Object.values(verbs));

/**
 * Whether a card is one acrcheck sent (a button whose data names one of our verbs) and, if so, the view its
 * language button carries; null for anyone else's card. Bounded like {@link cardStrings}.
 */
function ownCard(root: unknown): ChosenMessage['own'] {
  let own: ChosenMessage['own'] = null;
  const stack: [unknown, number][] = [[root, 0]];
  for (let visited = 0; stack.length > 0 && visited < maxCardNodes; visited++) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > maxCardDepth || typeof node !== 'object' || node === null) continue;
    const data = isRecord(node) ? node.data : undefined;
    if (isRecord(data) && ownVerbs.has(data.verb)) {
      if (data.verb === verbs.translate && data.card !== undefined) return { view: data.card };
      own = { view: null };
    }
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return own;
}

/** A card attachment's content as JSON: Teams sends a card message's card as a JSON string. */
function cardContent(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  if (content.length > maxPasteBytes) return null;
  try {
    return JSON.parse(content);
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** The readable text of one attachment of the message: HTML or text as is, a card's strings, nothing else. */
function attachmentText(attachment: unknown): string[] {
  if (!isRecord(attachment) || typeof attachment.contentType !== 'string') return [];
  const { contentType, content } = attachment;
  if (contentType === 'text/html' || contentType === 'text/plain')
    return typeof content === 'string' ? [content] : [];
  return cardContentTypes.has(contentType) ? cardStrings(cardContent(content)) : [];
}

/** acrcheck's own card among the attachments, if there is one (see {@link ownCard}). */
function ownAttachment(attachments: readonly unknown[]): ChosenMessage['own'] {
  for (const attachment of attachments) {
    if (!isRecord(attachment) || attachment.contentType !== adaptiveCard) continue;
    const own = ownCard(cardContent(attachment.content));
    if (own) return own;
  }
  return null;
}

/**
 * Reads `value.messagePayload`: the body (`contentType` html or text, both read as Teams HTML), the text of its
 * card attachments and the author. Anything else in it is ignored.
 * @throws AcrcheckError `ACRCHECK_BAD_ACTION` (reason `payload`) without a body
 */
function readChosenMessage(payload: unknown): ChosenMessage {
  if (!isRecord(payload) || !isRecord(payload.body) || typeof payload.body.content !== 'string')
    return refuse('payload');
  const body = payload.body.content;
  const attachments = Array.isArray(payload.attachments) ? payload.attachments.slice(0, maxAttachments) : [];
  const text = [body, ...attachments.flatMap(attachmentText)].filter((part) => part.trim()).join('\n');
  const user = isRecord(payload.from) && isRecord(payload.from.user) ? payload.from.user : {};
  const name = typeof user.displayName === 'string' ? user.displayName.replace(/\s+/g, ' ').trim() : '';
  return { text, author: name ? clip(name, maxAuthor) : null, own: ownAttachment(attachments) };
}

/** Checks the command: this app's message action, invoked on a message. */
function readAction(value: unknown): Json {
  if (!isRecord(value) || typeof value.commandId !== 'string') return refuse('payload');
  if (value.commandId !== messageActionCommandId)
    return refuse('command', { command: clip(value.commandId, 40) });
  if (value.commandContext !== undefined && value.commandContext !== 'message') return refuse('context');
  return value;
}

function dialog(locale: Locale, card: Card, size: 'medium' | 'large'): MessageActionReply {
  return { reply: 'dialog', title: translator(locale)('message-action:title'), card, size };
}

function translateAction(): (typeof actions)[number] {
  const translate = actions.find((a) => a.verb === verbs.translate);
  if (!translate) throw new Error(`the ${verbs.translate} card action is missing`);
  return translate;
}

/**
 * The diagnosis of the chosen message in a dialog, with a button that shares the card unless nothing was
 * recognized. One of acrcheck's own cards is not diagnosed again (its advice would read as a new error): the
 * view it carries is shown in the invoker's language, checked as a language button's data is.
 */
function diagnose(message: ChosenMessage, locale: Locale, options: RenderOptions): MessageActionReply {
  const t = translator(locale);
  let shown: { card: Card; data: unknown; shareable: boolean };
  if (message.own?.view !== undefined && message.own.view !== null) {
    const { card } = translateAction().run({ locale, card: message.own.view }, locale, options);
    shown = { card, data: message.own.view, shareable: true };
  } else if (message.own) {
    return { reply: 'notice', text: t('message-action:ownProbe') };
  } else {
    const view: View = { view: 'diagnosis', diagnosis: recognize(message.text) };
    shown = {
      card: render(view, locale, options),
      data: viewData(view),
      shareable: view.diagnosis.verdict !== 'unrecognized',
    };
  }
  const card = dialogCard({
    card: readOnly(shown.card),
    from: message.author ? t('message-action:from', { name: message.author }) : '',
    share: shown.shareable
      ? {
          title: t('message-action:share'),
          hint: t('message-action:shareHint'),
          data: { verb: shareVerb, locale, card: shown.data },
        }
      : null,
  });
  return dialog(locale, card, 'large');
}

/**
 * The dialog's share button: the card it names, rendered again the way a language button would (so its data is
 * checked like any card button's), goes into the user's message box.
 */
function share(value: Json, locale: Locale, options: RenderOptions): MessageActionReply {
  if (value.botMessagePreviewAction !== undefined) return refuse('preview');
  const data = value.data;
  if (!isRecord(data) || data.verb !== shareVerb)
    throw new AcrcheckError('ACRCHECK_BAD_ACTION', 'message action data refused: verb', { detail: 'verb' });
  const { card } = translateAction().run({ locale: data.locale, card: data.card }, locale, options);
  return { reply: 'compose', card, preview: translator(data.locale as Locale)('message-action:preview') };
}

/**
 * The answer to a message action invoke (`composeExtension/fetchTask` or `…/submitAction`). Never throws for
 * what Teams or a client sends: a payload that is not this action on a message gets a notice, data the dialog
 * did not carry or a message too large gets an error card in the dialog. `options` as for a paste's card, so the
 * shared card is the card a paste gets.
 */
export function answerMessageAction(
  input: MessageActionInput,
  options: RenderOptions = {},
): MessageActionReply {
  const t = translator(input.locale);
  try {
    const action = readAction(input.value);
    if (input.kind === 'submit') return share(action, input.locale, options);
    return diagnose(readChosenMessage(action.messagePayload), input.locale, options);
  } catch (err) {
    if (!isAcrcheckError(err)) throw err;
    const reason = refusalOf(err);
    if (reason) return { reply: 'notice', text: t(`message-action:refused.${reason}`, err.params) };
    return dialog(input.locale, renderError(err, input.locale), 'medium');
  }
}

/** The reply as Teams' invoke response body: a dialog (`task/continue`), a notice (`task/message`) or a compose-box result. */
export function messageActionResponse(reply: MessageActionReply): MessageActionResponse {
  switch (reply.reply) {
    case 'dialog':
      return {
        task: {
          type: 'continue',
          value: {
            title: reply.title,
            height: reply.size,
            width: reply.size,
            card: { contentType: adaptiveCard, content: reply.card },
          },
        },
      };
    case 'notice':
      return { task: { type: 'message', value: reply.text } };
    case 'compose':
      return {
        composeExtension: {
          type: 'result',
          attachmentLayout: 'list',
          attachments: [
            {
              contentType: adaptiveCard,
              content: reply.card,
              preview: {
                contentType: 'application/vnd.microsoft.card.thumbnail',
                content: { title: reply.preview },
              },
            },
          ],
        },
      };
  }
}
