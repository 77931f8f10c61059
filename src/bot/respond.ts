import type { Card } from '../cards/bind';
import { isAcrcheckError } from '../errors';
import type { Locale } from '../i18n';
import { recognize } from '../recognize';
import { findCommand } from './commands';
import type { MessageInput } from './input';
import type { ProbeRequest } from './probes';
import { render, renderError, type RenderOptions } from './views';

/** The answer to a message: a card, or a live probe to start (the probe dispatcher answers it). */
export type MessageReply = { card: Card } | { probe: ProbeRequest };

/**
 * The answer to a message: a command's card (or, for `/acrcheck` with live probes configured, a probe of its
 * registry), the diagnosis of a paste, or help for an empty message. In channels and group chats only messages
 * that mention the bot are answered, and a message that is only a card is never answered (null for those).
 * Refusals become error cards here; anything else is a bug and propagates to the edge.
 */
export function respondToMessage(input: MessageInput, options: RenderOptions = {}): MessageReply | null {
  if (input.conversation !== 'personal' && !input.mentioned) return null;
  if (input.cardOnly) return null;
  try {
    const found = findCommand(input.line);
    if (found) {
      const view = found.command.run(found.args);
      if (options.probe && found.command.probes && view.view === 'registry')
        return { probe: { kind: 'run', registry: view.registry } };
      return { card: render(view, input.locale, options) };
    }
    if (!input.line) return { card: render({ view: 'help', welcome: false }, input.locale, options) };
    return { card: render({ view: 'diagnosis', diagnosis: recognize(input.text) }, input.locale, options) };
  } catch (err) {
    if (isAcrcheckError(err)) return { card: renderError(err, input.locale) };
    throw err;
  }
}

/** The card sent once when the app is added to a personal chat, a group chat or a team. */
export function welcome(locale: Locale): Card {
  return render({ view: 'help', welcome: true }, locale);
}
