import type { Card } from '../cards/bind';
import type { Registry } from '../contract';
import { translator, type Locale } from '../i18n';
import { isRunnerError, newProbeJob, type ProbeJob, type Runner } from '../runners';
import type {
  ConversationRef,
  ProbeRecord,
  ProbeStore,
  RunnerKind,
  RunnerOutcome,
} from '../state/probe-store';
import { renderProbe } from './probe-view';

/**
 * What a command or a button asks of the live probes: probe a registry (in the language of the card clicked, and
 * in a new card when the clicked one should stay, as a diagnosis does), or show a probe's card in a language.
 */
export type ProbeRequest =
  | { kind: 'run'; registry: Registry; locale?: Locale; keep?: boolean }
  | { kind: 'show'; id: string; locale: Locale };

/** Where a request comes from. */
export interface ProbeOrigin {
  /** The conversation id: one probe of a registry per conversation runs at a time. */
  conversation: string;
  /** How to reach the conversation later (`TurnContext.getConversationReference`, as plain JSON). */
  reference: ConversationRef;
  /**
   * The clicked card's activity id when the bot may update it; null for a message, or for a card the bot cannot
   * edit (one a user shared): the probe's card will be a new message.
   */
  cardId: string | null;
  locale: Locale;
}

/** What follows once the card is shown: the runners start (told the card's activity id), or the probe is dropped. */
export interface FollowUp {
  start(cardId: string): void;
  cancel(): void;
}

/** The answer: a card (replacing the clicked one, or as a new message), maybe followed by a probe; or a short note. */
export type ProbeReply = { card: Card; placement: 'replace' | 'new'; follow?: FollowUp } | { note: string };

/** Replaces the card `cardId` in the conversation `reference` points to, outside any turn (the edge implements it). */
export type CardUpdater = (reference: ConversationRef, cardId: string, card: Card) => Promise<void>;

/** A runner and what kind of place it probes from. */
export interface ProbeRunner {
  runner: Runner;
  kind: RunnerKind;
}

/** What the dispatcher needs. */
export interface ProbesOptions {
  /** In configuration order; none means live probes are off. */
  runners: readonly ProbeRunner[];
  store: ProbeStore;
  update: CardUpdater;
  /** The probe's own deadline (`ACRCHECK_PROBE_TIMEOUT_MS`), sent with each job. */
  probeTimeoutMs: number;
  /** How long any runner has before the card marks it timed out (`ACRCHECK_RUNNER_TIMEOUT_MS`). */
  runnerTimeoutMs: number;
  log: (line: string) => void;
  now?: () => number;
}

/** Live probes from a conversation: starts them on every runner and keeps their card up to date. */
export interface Probes {
  /** False when no runner is configured. */
  readonly enabled: boolean;
  /** Answers at once; the probe itself runs after the caller starts the reply's follow-up. */
  answer(request: ProbeRequest, origin: ProbeOrigin): Promise<ProbeReply>;
  /** Cancels every running probe; no card is updated any more. */
  close(): void;
}

/** The updates of one card, sent one at a time; each shows the newest state of the probe that owns the card. */
interface CardQueue {
  owner: string;
  sending: boolean;
  again: boolean;
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * The dispatcher. A request answers at once with the card showing every runner pending (or, when the same
 * registry is already being probed from the conversation, that probe's card or a note); once the card is
 * shown, every runner gets the job and the card is updated in place as each reports. Updates of a card are
 * serialized and always render the newest state, so an older state never overwrites a newer one.
 */
export function createProbes(options: ProbesOptions): Probes {
  const now = options.now ?? Date.now;
  const { store, log } = options;
  const live = new Map<string, ProbeRecord>();
  const cards = new Map<string, CardQueue>();
  const running = new Map<AbortController, NodeJS.Timeout>();
  let closed = false;

  const save = (record: ProbeRecord): void => {
    store.put(record).catch((err: unknown) => log(`probe ${record.id} not saved: ${errorText(err)}`));
  };

  const send = async (cardId: string, queue: CardQueue): Promise<void> => {
    queue.sending = true;
    do {
      queue.again = false;
      const record = live.get(queue.owner);
      if (!record) break;
      try {
        await options.update(record.reference, cardId, renderProbe(record, record.locale));
      } catch (err) {
        log(`the card of probe ${record.id} was not updated: ${errorText(err)}`);
      }
    } while (queue.again && !closed);
    queue.sending = false;
    const owner = live.get(queue.owner);
    if (!owner || owner.finishedAt !== null) {
      cards.delete(cardId);
      live.delete(queue.owner);
    }
  };

  const schedule = (record: ProbeRecord): void => {
    const queue = record.cardId === null ? undefined : cards.get(record.cardId);
    if (!queue || queue.owner !== record.id) {
      // A newer probe took the card over: this one's results stay in the store only.
      if (record.finishedAt !== null) live.delete(record.id);
      return;
    }
    if (closed) return;
    if (queue.sending) queue.again = true;
    else void send(record.cardId as string, queue);
  };

  const launch = (record: ProbeRecord, job: ProbeJob, cardId: string): void => {
    if (closed) {
      void store.release(record);
      return;
    }
    record.cardId = cardId;
    live.set(record.id, record);
    const queue = cards.get(cardId);
    if (queue) {
      if (live.get(queue.owner)?.finishedAt !== null) live.delete(queue.owner);
      queue.owner = record.id;
    } else {
      cards.set(cardId, { owner: record.id, sending: false, again: false });
    }
    save(record);

    const controller = new AbortController();
    // A held timer, not `AbortSignal.timeout()` inside `AbortSignal.any()`: Node 20 may collect that signal
    // before it fires (nodejs/node#57736), and a silent runner would then never be marked timed out.
    const timer = setTimeout(
      () => controller.abort(new DOMException('the runners ran out of time', 'TimeoutError')),
      options.runnerTimeoutMs,
    );
    running.set(controller, timer);
    const signal = controller.signal;
    let left = options.runners.length;
    const settle = (index: number, outcome: RunnerOutcome): void => {
      const entry = record.runners[index];
      if (!entry || entry.outcome.state !== 'pending') return;
      entry.outcome = outcome;
      left -= 1;
      if (left === 0) {
        record.finishedAt = now();
        clearTimeout(timer);
        running.delete(controller);
        store
          .release(record)
          .catch((err: unknown) => log(`probe ${record.id} not released: ${errorText(err)}`));
      }
      save(record);
      schedule(record);
    };
    options.runners.forEach(({ runner }, index) => {
      runner.run(job, signal).then(
        (report) => settle(index, { state: 'reported', report }),
        (err: unknown) => {
          if (isRunnerError(err)) {
            settle(index, { state: 'failed', kind: err.kind, detail: err.detail });
            return;
          }
          log(`runner ${runner.name} failed on probe ${record.id}: ${errorText(err)}`);
          settle(index, { state: 'failed', kind: 'down', detail: 'an internal error stopped this runner' });
        },
      );
    });
  };

  const run = async (registry: Registry, origin: ProbeOrigin): Promise<ProbeReply> => {
    const t = translator(origin.locale);
    if (!options.runners.length) return { note: t('probe-card:note.disabled') };
    const job = newProbeJob(registry, options.probeTimeoutMs);
    const record: ProbeRecord = {
      id: job.id,
      conversation: origin.conversation,
      reference: origin.reference,
      cardId: origin.cardId,
      registry: job.registry,
      regions: job.regions,
      locale: origin.locale,
      runners: options.runners.map(({ runner, kind }) => ({
        name: runner.name,
        kind,
        outcome: { state: 'pending' },
      })),
      startedAt: now(),
      finishedAt: null,
    };
    const holder = await store.claim(record);
    if (holder) {
      const current = live.get(holder.id) ?? holder;
      if (origin.cardId !== null && current.cardId === origin.cardId) {
        return { card: renderProbe(current, current.locale), placement: 'replace' };
      }
      return { note: t('probe-card:note.running', { registry: job.registry }) };
    }
    return {
      card: renderProbe(record, record.locale),
      placement: origin.cardId === null ? 'new' : 'replace',
      follow: {
        start: (cardId) => launch(record, job, cardId),
        cancel: () => {
          store
            .release(record)
            .catch((err: unknown) => log(`probe ${record.id} not released: ${errorText(err)}`));
        },
      },
    };
  };

  const show = async (id: string, locale: Locale, origin: ProbeOrigin): Promise<ProbeReply> => {
    const record = live.get(id) ?? (await store.get(id));
    if (!record) return { note: translator(origin.locale)('probe-card:note.gone') };
    // Only the card that shows the probe changes language for the updates still to come.
    if (record.cardId !== null && record.cardId === origin.cardId) {
      record.locale = locale;
      save(record);
    }
    return { card: renderProbe(record, locale), placement: 'replace' };
  };

  return {
    enabled: options.runners.length > 0,
    answer: (request, origin) =>
      request.kind === 'run' ? run(request.registry, origin) : show(request.id, request.locale, origin),
    close() {
      closed = true;
      for (const [controller, timer] of running) {
        clearTimeout(timer);
        controller.abort();
      }
      running.clear();
    },
  };
}
