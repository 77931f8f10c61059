import {
  ActivityTypes,
  CardFactory,
  TeamsActivityHandler,
  TurnContext,
  type CloudAdapter,
  type ConversationReference,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
} from 'botbuilder';

import type { Card } from '../cards/bind';
import { translator, type Locale } from '../i18n';
import { RecentKeys } from '../state/recent-keys';
import { handleAction, type ActionOutcome } from './actions';
import { localeOf, readExecute, readMessage } from './input';
import { answerMessageAction, messageActionResponse, type MessageActionKind } from './message-action';
import type { CardUpdater, ProbeReply, Probes } from './probes';
import { respondToMessage, welcome } from './respond';
import { renderError, type RenderOptions } from './views';

/** What the bot needs from its host. */
export interface BotDeps {
  log: (line: string) => void;
  /** Live probes; absent when none are configured. */
  probes?: Probes;
}

/** A reply as the edge places it: a card (in place of the clicked one, or new), maybe followed by a probe; or a note. */
type Placed = ProbeReply;

// Work a turn leaves for after its answer is written: the probe's runners start only then.
const afterTurnKey = Symbol('acrcheck.afterTurn');

const cardType = 'application/vnd.microsoft.card.adaptive';

function cardMessage(card: Card): {
  type: string;
  attachments: ReturnType<typeof CardFactory.adaptiveCard>[];
} {
  return { type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] };
}

/** Where a card the bot posted is remembered: its conversation and activity id. */
function postedKey(context: TurnContext, activityId: string): string {
  // A channel thread's id is `19:…@thread.tacv2;messageid=<root>`; an activity id is unique in the channel.
  const conversation = (context.activity.conversation?.id ?? '').split(';')[0];
  return `${conversation}\n${activityId}`;
}

/** The body Teams expects for an `adaptiveCard/action` invoke that answers with a card. */
function cardResponse(card: Card): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: cardType, value: card } };
}

/** The body for an `adaptiveCard/action` invoke that answers with a short message (Teams shows it by the card). */
function messageResponse(text: string): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
  };
}

/**
 * Replaces a card the bot sent earlier, outside any turn: `continueConversationAsync` with the stored
 * conversation reference, then `updateActivity` (`PUT …/activities/{cardId}`). `appId` is empty in local mode.
 */
export function cardUpdater(adapter: CloudAdapter, appId: string): CardUpdater {
  return (reference, cardId, card) =>
    adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (context) => {
      await context.updateActivity({ ...cardMessage(card), id: cardId });
    });
}

/**
 * The Teams edge: turns activities into plain input for `respond`/`actions` and their cards back into
 * activities. Nothing else happens here.
 */
export class AcrcheckBot extends TeamsActivityHandler {
  // Teams announces an install twice (conversationUpdate and installationUpdate); welcome once.
  private readonly welcomed = new RecentKeys(10 * 60_000);
  // Teams lets a bot edit only the messages it sent, not a card a user shared through the message box. A probe
  // clicked on a card not remembered here (shared, from before a restart, or long ago) posts its own card.
  private readonly posted = new RecentKeys(7 * 24 * 60 * 60_000, 20_000);

  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) await this.welcome(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.action === 'add') await this.welcome(context);
      await next();
    });
  }

  private async welcome(context: TurnContext): Promise<void> {
    if (!this.welcomed.add(context.activity.conversation?.id ?? '')) return;
    await this.post(context, welcome(localeOf(context.activity)));
  }

  /** Sends a card as a new message and remembers its activity id, so that it may be updated later. */
  private async post(context: TurnContext, card: Card): Promise<string | null> {
    const id = (await context.sendActivity(cardMessage(card)))?.id ?? null;
    if (id) this.posted.add(postedKey(context, id));
    return id;
  }

  private get renderOptions(): RenderOptions {
    return { probe: this.deps.probes?.enabled ?? false };
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    const input = readMessage(context.activity);
    if (input.submit !== null) {
      const outcome = handleAction(
        { verb: null, data: input.submit, locale: input.locale },
        this.renderOptions,
      );
      await this.place(
        context,
        await this.resolve(context, outcome, input.replyToId, input.locale),
        input.replyToId,
      );
      return;
    }
    const reply = respondToMessage(input, this.renderOptions);
    if (!reply) return;
    const placed = 'card' in reply ? reply : await this.resolve(context, reply, null, input.locale);
    await this.place(context, { placement: 'new', ...placed }, null);
  }

  /**
   * A click's or a command's outcome as a reply: probe requests go to the probe dispatcher, told the clicked
   * card's id only when the bot posted that card (a probe on any other card gets a new one).
   */
  private async resolve(
    context: TurnContext,
    outcome: ActionOutcome,
    cardId: string | null,
    locale: Locale,
  ): Promise<Placed> {
    if (!('probe' in outcome)) return outcome;
    const probes = this.deps.probes;
    if (!probes) return { note: translator(locale)('probe-card:note.disabled') };
    const request = outcome.probe;
    const keep = request.kind === 'run' && request.keep === true;
    return probes.answer(request, {
      conversation: context.activity.conversation?.id ?? '',
      reference: TurnContext.getConversationReference(context.activity) as Record<string, unknown>,
      cardId: cardId !== null && !keep && this.posted.has(postedKey(context, cardId)) ? cardId : null,
      locale: (request.kind === 'run' && request.locale) || locale,
    });
  }

  /**
   * A reply to a message or an `Action.Submit`: update the clicked card in place, post a new message, or say a
   * note. A probe that follows starts after the turn, told the card's activity id.
   */
  private async place(context: TurnContext, reply: Placed, replyToId: string | null): Promise<void> {
    if ('note' in reply) {
      await context.sendActivity(reply.note);
      return;
    }
    try {
      let cardId = replyToId;
      if (reply.placement === 'replace' && replyToId) {
        await context.updateActivity({ ...cardMessage(reply.card), id: replyToId });
      } else {
        cardId = await this.post(context, reply.card);
      }
      this.follow(context, reply, cardId);
    } catch (err) {
      reply.follow?.cancel();
      throw err;
    }
  }

  /** Leaves the reply's probe to start once the turn's answer is written, or drops it when the card has no id. */
  private follow(context: TurnContext, reply: Placed, cardId: string | null): void {
    if ('note' in reply || !reply.follow) return;
    const { follow } = reply;
    if (!cardId) {
      this.deps.log(
        'a probe card was sent without an activity id: the probe cannot update it and was dropped',
      );
      follow.cancel();
      return;
    }
    const later = (context.turnState.get(afterTurnKey) as (() => void)[] | undefined) ?? [];
    later.push(() => follow.start(cardId));
    context.turnState.set(afterTurnKey, later);
  }

  /** What the turn left for after its answer (call once `adapter.process` has written the HTTP response). */
  afterTurn(context: TurnContext): (() => void)[] {
    return (context.turnState.get(afterTurnKey) as (() => void)[] | undefined) ?? [];
  }

  /** `Action.Execute` arrives as the invoke `adaptiveCard/action`; it is answered with a card, never a 5xx. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const locale = localeOf(context.activity);
    const replyToId = context.activity.replyToId ?? null;
    const outcome = handleAction({ ...readExecute(context.activity.value), locale }, this.renderOptions);
    const reply = await this.resolve(context, outcome, replyToId, locale);
    if ('note' in reply) return messageResponse(reply.note);
    if (reply.placement === 'replace' && replyToId) {
      this.follow(context, reply, replyToId);
      return cardResponse(reply.card);
    }
    await this.place(context, { ...reply, placement: 'new' }, null);
    return messageResponse(translator(locale)('bot:sent'));
  }

  /** "Diagnose with acrcheck" on a message: `composeExtension/fetchTask` opens the dialog with the diagnosis. */
  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
  ): Promise<MessagingExtensionActionResponse> {
    return this.messageAction(context, 'fetch');
  }

  /**
   * The dialog's share button (`composeExtension/submitAction`). Replaces botbuilder's dispatcher, which reads
   * `value` unchecked and answers bot message previews (which acrcheck never sends) with 501.
   */
  protected override async handleTeamsMessagingExtensionSubmitActionDispatch(
    context: TurnContext,
    _action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return this.messageAction(context, 'submit');
  }

  /** `Action.Submit` on a card shared through the message box (clients without `Action.Execute`): answered in a new message. */
  protected override async handleTeamsMessagingExtensionCardButtonClicked(
    context: TurnContext,
    cardData: unknown,
  ): Promise<void> {
    const locale = localeOf(context.activity);
    const outcome = handleAction({ verb: null, data: cardData, locale }, this.renderOptions);
    const reply = await this.resolve(context, outcome, null, locale);
    await this.place(context, 'note' in reply ? reply : { ...reply, placement: 'new' }, null);
  }

  private messageAction(context: TurnContext, kind: MessageActionKind): MessagingExtensionActionResponse {
    const locale = localeOf(context.activity);
    const reply = answerMessageAction({ kind, value: context.activity.value, locale }, this.renderOptions);
    return messageActionResponse(reply);
  }

  /** For `adapter.onTurnError`: logs a bug and shows the user an error card instead of a failed turn. */
  async turnError(context: TurnContext, err: unknown): Promise<void> {
    this.deps.log(`turn failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const card = renderError(err, localeOf(context.activity));
    if (context.activity.name?.startsWith('composeExtension/')) {
      // A message extension reads only its own response shape; anything else shows "Unable to reach app".
      const body = {
        task: { type: 'message', value: translator(localeOf(context.activity))('bot:internalError') },
      };
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
    } else if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: cardResponse(card) });
    } else {
      await context.sendActivity(cardMessage(card));
    }
  }
}
