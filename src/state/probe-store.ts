import type { ProbeReport } from '../contract';
import type { Locale } from '../i18n';
import type { RunnerErrorKind } from '../runners';

/** A Bot Framework conversation reference as plain JSON (`TurnContext.getConversationReference`). */
export type ConversationRef = Record<string, unknown>;

/** Where a runner probes from: the bot's own process, a runner service, a GitHub Actions workflow. */
export type RunnerKind = 'local' | 'service' | 'github';

/** Where one runner stands: still probing, reported, or could not report. */
export type RunnerOutcome =
  | { state: 'pending' }
  | { state: 'reported'; report: ProbeReport }
  | { state: 'failed'; kind: RunnerErrorKind; detail: string };

/** A live probe started from a conversation: what it probes, where its card is, what each runner said. */
export interface ProbeRecord {
  /** Also the job id every runner got. */
  id: string;
  /** The conversation id: one probe of a registry per conversation runs at a time. */
  conversation: string;
  /** How to reach the conversation later, to update the card. */
  reference: ConversationRef;
  /** The activity id of the card that shows this probe; null until the card is sent. */
  cardId: string | null;
  /** The login server. */
  registry: string;
  regions: string[];
  /** The language the card is shown in (a language button changes it). */
  locale: Locale;
  /** Every runner, in configuration order. */
  runners: { name: string; kind: RunnerKind; outcome: RunnerOutcome }[];
  startedAt: number;
  /** Set when every runner has reported or failed. */
  finishedAt: number | null;
}

/**
 * Where live probes are kept. In memory by default; a shared store (for several bot instances) implements the
 * same four calls. Records are plain JSON.
 */
export interface ProbeStore {
  /**
   * Makes `record` the running probe of its registry in its conversation, unless another is running there:
   * resolves null when claimed, else the running record.
   */
  claim(record: ProbeRecord): Promise<ProbeRecord | null>;
  get(id: string): Promise<ProbeRecord | null>;
  /** Saves the record's latest state. */
  put(record: ProbeRecord): Promise<void>;
  /** The probe no longer runs (finished, or its card could not be sent): a new one may start. */
  release(record: ProbeRecord): Promise<void>;
}

/** How long the memory store keeps what. */
export interface MemoryStoreOptions {
  /** A probe that never finished stops blocking a new one after this long. */
  maxRunMs: number;
  /** How long a record is kept for its card's buttons (another language, the fix). */
  keepMs?: number;
  /** The most records kept; the oldest go first. */
  maxRecords?: number;
  now?: () => number;
}

const slotOf = (record: ProbeRecord): string => `${record.conversation}\n${record.registry}`;

/** The in-memory {@link ProbeStore}: bounded, expiry checked on use (no timers). */
export function createMemoryProbeStore(options: MemoryStoreOptions): ProbeStore {
  const now = options.now ?? Date.now;
  const keepMs = options.keepMs ?? 24 * 60 * 60_000;
  const maxRecords = options.maxRecords ?? 5000;
  const records = new Map<string, ProbeRecord>();
  const running = new Map<string, string>();

  const sweep = (): void => {
    const t = now();
    for (const [id, record] of records) {
      if (records.size <= maxRecords && record.startedAt + keepMs > t) break;
      records.delete(id);
    }
  };
  const copy = (record: ProbeRecord): ProbeRecord => structuredClone(record);

  return {
    async claim(record) {
      sweep();
      const slot = slotOf(record);
      const holder = records.get(running.get(slot) ?? '');
      if (holder && holder.finishedAt === null && holder.startedAt + options.maxRunMs > now()) {
        return copy(holder);
      }
      running.set(slot, record.id);
      records.set(record.id, copy(record));
      return null;
    },
    async get(id) {
      const record = records.get(id);
      return record ? copy(record) : null;
    },
    async put(record) {
      records.delete(record.id);
      records.set(record.id, copy(record));
      sweep();
    },
    async release(record) {
      const slot = slotOf(record);
      if (running.get(slot) === record.id) running.delete(slot);
    },
  };
}
