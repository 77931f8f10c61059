import type { CheckId, CheckResult, CheckStatus } from '../contract';
import type { ResolvedAddress } from './addresses';
import type { ProbeEnv } from './env';

/** A login server or one of its data endpoints. */
export type HostRole = 'login' | 'data';

/** How a host is reached: directly, or through the configured HTTPS proxy (with `NO_PROXY` applied). */
export type Route =
  | { kind: 'direct'; proxy: null }
  | { kind: 'direct'; proxy: ProxySetting; bypass: string }
  | { kind: 'proxy'; proxy: ProxySetting };

/** The proxy the environment names (`https_proxy`, then `HTTPS_PROXY`), credentials never shown. */
export interface ProxySetting {
  /** Where it came from, e.g. `HTTPS_PROXY`. */
  variable: string;
  /** The URL without user information, for reports. */
  display: string;
  /** Null when the value is not an http(s) URL. */
  url: URL | null;
}

/** One host to probe. */
export interface HostTarget {
  host: string;
  role: HostRole;
  region: string | null;
  route: Route;
}

/** What the checks learn about a host, for the checks that follow them. */
export interface HostFacts {
  /** The addresses clients use (the system resolver's when it is used, else the direct answer). */
  addresses: ResolvedAddress[];
  /** The region the CNAME chain routes to, when it shows one. */
  region: string | null;
  /** The address TCP reached first: TLS and HTTP go there too. */
  address: ResolvedAddress | null;
}

/** What a check found: its status, a stable code, evidence, and facts for later checks. Never thrown. */
export interface Outcome {
  status: CheckStatus;
  code?: string;
  detail: Record<string, unknown>;
  facts?: Partial<HostFacts>;
}

/** What a check is given: its host, what earlier checks learned, the probe's environment and its time. */
export interface CheckContext {
  target: HostTarget;
  facts: Readonly<Partial<HostFacts>>;
  env: ProbeEnv;
  /** Aborted when this check's budget or the probe's deadline runs out. */
  signal: AbortSignal;
  /** Milliseconds this check may take. */
  budgetMs: number;
}

/**
 * A check: one small unit per failure area. `needs` names checks on the same host that must settle first;
 * when one of them failed, or all of them were skipped, this check is skipped. Timing, budgets, ordering and
 * skipping live in {@link CheckLoop}, never in the checks.
 */
export interface Check {
  id: CheckId;
  needs: readonly CheckId[];
  run(context: CheckContext): Promise<Outcome>;
}

/** The probe's deadline: one signal for everything, and how much time is left. */
export interface Deadline {
  signal: AbortSignal;
  remaining(): number;
}

/** How the loop sizes each check's time: a share of the whole timeout, never past the deadline. */
export interface Budgets {
  timeoutMs: number;
  share: Readonly<Record<CheckId, number>>;
  /** How long after its budget a check that ignores its signal is cut off. */
  graceMs: number;
  /** A check that times out with a budget below this is inconclusive (`TOO_SHORT`), not a network verdict. */
  conclusiveMs?: number;
}

/** Codes that say a check ran out of time. */
const timedOutCodes: ReadonlySet<string> = new Set(['ETIMEDOUT', 'TIMEOUT', 'DEADLINE']);

interface Unit {
  hostIndex: number;
  checkIndex: number;
  result: Promise<CheckResult>;
}

/**
 * Runs checks: every host's checks concurrently, each after the checks it needs, each timed and bounded by
 * its budget and the probe's deadline. Results come back in a fixed order (host order, then check order),
 * whatever order they finished in.
 */
export class CheckLoop {
  private readonly units: Unit[] = [];
  private readonly byHost = new Map<string, Map<CheckId, Promise<CheckResult>>>();

  constructor(
    private readonly env: ProbeEnv,
    private readonly deadline: Deadline,
    private readonly budgets: Budgets,
  ) {}

  /** Schedules `checks` (in dependency order) against `target`; they start at once. */
  add(target: HostTarget, checks: readonly Check[]): void {
    const hostIndex = this.byHost.size;
    const results = new Map<CheckId, Promise<CheckResult>>();
    this.byHost.set(target.host, results);
    const facts: Partial<HostFacts> = {};
    checks.forEach((check, checkIndex) => {
      const needs = check.needs.flatMap((id) => results.get(id) ?? []);
      const result = this.unit(check, target, facts, needs);
      results.set(check.id, result);
      this.units.push({ hostIndex, checkIndex, result });
    });
  }

  /** The result of one check, once it settles (undefined when it was not scheduled). */
  result(host: string, id: CheckId): Promise<CheckResult> | undefined {
    return this.byHost.get(host)?.get(id);
  }

  /** Every result, in host order then check order. */
  async settle(): Promise<CheckResult[]> {
    const settled = await Promise.all(this.units.map(async (u) => ({ ...u, value: await u.result })));
    return settled
      .sort((a, b) => a.hostIndex - b.hostIndex || a.checkIndex - b.checkIndex)
      .map((u) => u.value);
  }

  private async unit(
    check: Check,
    target: HostTarget,
    facts: Partial<HostFacts>,
    needs: Promise<CheckResult>[],
  ): Promise<CheckResult> {
    const base = { id: check.id, host: target.host };
    const before = await Promise.all(needs);
    const blocker =
      before.find((r) => r.status === 'fail') ??
      (before.every((r) => r.status === 'skip') ? before[before.length - 1] : undefined);
    if (blocker) return { ...base, status: 'skip', ms: 0, detail: { after: blocker.id } };
    const remaining = this.deadline.remaining();
    if (remaining <= 0)
      return {
        ...base,
        status: 'skip',
        ms: 0,
        code: 'DEADLINE',
        detail: { timeoutMs: this.budgets.timeoutMs },
      };

    const budgetMs = Math.max(
      1,
      Math.min(Math.round(this.budgets.timeoutMs * this.budgets.share[check.id]), remaining),
    );
    // One controller and one timer held here, not `AbortSignal.any([…, AbortSignal.timeout()])`: on Node 20 the
    // inner timeout signal can be garbage-collected before it fires (nodejs/node#57736), leaving sockets open.
    const own = new AbortController();
    const budgetTimer = setTimeout(
      () => own.abort(new DOMException(`${check.id} took longer than ${budgetMs} ms`, 'TimeoutError')),
      budgetMs,
    );
    const onDeadline = (): void => own.abort(this.deadline.signal.reason);
    if (this.deadline.signal.aborted) onDeadline();
    else this.deadline.signal.addEventListener('abort', onDeadline, { once: true });
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        own.abort(new DOMException(`${check.id} ignored its budget`, 'TimeoutError'));
        resolve({ status: 'fail', code: 'DEADLINE', detail: { timeoutMs: this.budgets.timeoutMs } });
      }, budgetMs + this.budgets.graceMs);
    });
    try {
      const outcome = await Promise.race([
        check.run({ target, facts: { ...facts }, env: this.env, signal: own.signal, budgetMs }),
        cutOff,
      ]);
      Object.assign(facts, outcome.facts);
      const result: CheckResult = {
        ...base,
        status: outcome.status,
        ms: Math.round(performance.now() - started),
        detail: outcome.detail,
      };
      // An abort the error chain does not name (a reason of ours, not the socket's) is still this check's time running out.
      const code = outcome.code === 'ERROR' && own.signal.aborted ? 'ETIMEDOUT' : outcome.code;
      if (code !== undefined) result.code = code;
      if (
        result.status === 'fail' &&
        timedOutCodes.has(code ?? '') &&
        budgetMs < (this.budgets.conclusiveMs ?? 0)
      ) {
        result.code = 'TOO_SHORT';
        result.detail = { ...result.detail, timedOut: code, budgetMs, timeoutMs: this.budgets.timeoutMs };
      }
      return result;
    } finally {
      clearTimeout(timer);
      clearTimeout(budgetTimer);
      own.abort(new DOMException(`${check.id} is done`, 'AbortError'));
      this.deadline.signal.removeEventListener('abort', onDeadline);
    }
  }
}
