import { createProbes, type ProbeOrigin, type ProbeReply, type Probes } from '../../src/bot/probes';
import type { Card } from '../../src/cards/bind';
import type { ProbeReport } from '../../src/contract';
import { translator } from '../../src/i18n';
import { RunnerError, type ProbeJob, type Runner } from '../../src/runners';
import { createMemoryProbeStore } from '../../src/state/probe-store';
import { parseRegistry } from '../../src/target';
import { statesOf } from './probe-helpers';

/** A runner whose answer the test gives when it wants: the order in which runners report is the test's. */
interface HeldRunner extends Runner {
  jobs: { job: ProbeJob; signal: AbortSignal }[];
  report(): void;
  fail(kind: RunnerError['kind']): void;
}

function heldRunner(name: string): HeldRunner {
  const jobs: HeldRunner['jobs'] = [];
  const waiting: { resolve: (r: ProbeReport) => void; reject: (e: unknown) => void; job: ProbeJob }[] = [];
  return {
    name,
    jobs,
    run(job, signal) {
      jobs.push({ job, signal });
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject, job });
        signal.addEventListener('abort', () => reject(new RunnerError(name, 'timeout', 'cancelled')), {
          once: true,
        });
      });
    },
    report() {
      const w = waiting.shift();
      w?.resolve({
        id: w.job.id,
        target: { name: 'contoso', loginServer: w.job.registry, dataEndpoints: [] },
        runner: { name },
        checks: [{ id: 'challenge', host: w.job.registry, status: 'pass', ms: 7, detail: { status: 401 } }],
        verdict: 'healthy',
        causes: [],
        summary: `${w.job.registry} answers the registry challenge (401 with a Bearer realm).`,
      });
    },
    fail(kind) {
      waiting.shift()?.reject(new RunnerError(name, kind, `held runner ${name}: ${kind}`));
    },
  };
}

/** A connector that takes its time with each update and remembers what it was sent, in order. */
function slowConnector(delayMs = 30) {
  const updates: { cardId: string; card: Card }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  return {
    updates,
    mostInFlight: () => mostInFlight,
    update: async (_reference: unknown, cardId: string, card: Card): Promise<void> => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      updates.push({ cardId, card });
      inFlight -= 1;
    },
  };
}

const registry = parseRegistry('contosoprobe');
const t = translator('en');
const pending = t('probe-card:state.pending');
const healthy = t('probe:verdict.healthy');

let runners: HeldRunner[];
let connector: ReturnType<typeof slowConnector>;
let probes: Probes;
let logs: string[];

function setup(names = ['local', 'vnet-prod', 'github'], options: { maxRunMs?: number } = {}): void {
  runners = names.map(heldRunner);
  connector = slowConnector();
  logs = [];
  probes = createProbes({
    runners: runners.map((runner, i) => ({ runner, kind: i === 0 ? 'local' : 'service' })),
    store: createMemoryProbeStore({ maxRunMs: options.maxRunMs ?? 60_000 }),
    update: connector.update,
    probeTimeoutMs: 1000,
    runnerTimeoutMs: 60_000,
    log: (line) => logs.push(line),
  });
}

afterEach(() => probes.close());

const origin = (overrides: Partial<ProbeOrigin> = {}): ProbeOrigin => ({
  conversation: 'a:conv-1',
  reference: { conversation: { id: 'a:conv-1' } },
  cardId: null,
  locale: 'en',
  ...overrides,
});

function started(reply: ProbeReply): Extract<ProbeReply, { card: Card }> & { follow: NonNullable<unknown> } {
  if ('note' in reply || !reply.follow)
    throw new Error(`expected a started probe, got ${JSON.stringify(reply)}`);
  return reply as never;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

test('a request answers with every runner pending; no runner gets the job until the card is shown', async () => {
  setup();
  const reply = started(await probes.answer({ kind: 'run', registry }, origin()));
  expect(reply.placement).toBe('new');
  expect(statesOf(reply.card)).toEqual({ local: pending, 'vnet-prod': pending, github: pending });
  expect(runners.map((r) => r.jobs.length)).toEqual([0, 0, 0]);
  reply.follow.start('card-1');
  expect(runners.map((r) => r.jobs.length)).toEqual([1, 1, 1]);
  // One job for every runner: the same id and registry.
  expect(new Set(runners.map((r) => r.jobs[0]?.job.id)).size).toBe(1);
  expect(runners[0]?.jobs[0]?.job).toMatchObject({ registry: 'contosoprobe.azurecr.io', timeoutMs: 1000 });
});

test('updates of a card go one at a time and never show an older state after a newer one', async () => {
  setup();
  const reply = started(await probes.answer({ kind: 'run', registry }, origin()));
  reply.follow.start('card-1');
  // Reports arrive faster than the connector takes updates.
  runners[1]?.report();
  await new Promise((resolve) => setTimeout(resolve, 5));
  runners[0]?.fail('down');
  runners[2]?.report();
  await settle();
  expect(connector.mostInFlight()).toBe(1);
  const reported = connector.updates.map(
    (u) => Object.values(statesOf(u.card)).filter((s) => s !== pending).length,
  );
  expect(reported).toEqual([...reported].sort((a, b) => a - b));
  expect(reported.at(-1)).toBe(3);
  expect(reported.length).toBeLessThan(4);
  const last = connector.updates.at(-1)!;
  expect(last.cardId).toBe('card-1');
  expect(statesOf(last.card)).toEqual({
    local: t('probe-card:state.down'),
    'vnet-prod': healthy,
    github: healthy,
  });
});

test('the same registry from the same conversation while it runs: its card again on that card, a note elsewhere', async () => {
  setup(['local']);
  const first = started(await probes.answer({ kind: 'run', registry }, origin({ cardId: 'card-7' })));
  first.follow.start('card-7');
  const again = await probes.answer({ kind: 'run', registry }, origin({ cardId: 'card-7' }));
  expect(again).toMatchObject({ placement: 'replace' });
  expect('follow' in again && again.follow).toBeFalsy();
  const elsewhere = await probes.answer({ kind: 'run', registry }, origin());
  expect(elsewhere).toEqual({ note: t('probe-card:note.running', { registry: registry.loginServer }) });
  // Another conversation, or another registry, is another probe.
  started(await probes.answer({ kind: 'run', registry }, origin({ conversation: 'a:conv-2' })));
  started(await probes.answer({ kind: 'run', registry: parseRegistry('contosoother') }, origin()));
  expect(runners[0]?.jobs).toHaveLength(1);

  runners[0]?.report();
  await settle();
  // Finished: the same request starts a new probe.
  started(await probes.answer({ kind: 'run', registry }, origin({ cardId: 'card-7' })));
});

test('a card that could not be sent gives the probe up: the next request starts one', async () => {
  setup(['local']);
  started(await probes.answer({ kind: 'run', registry }, origin())).follow.cancel();
  await settle();
  started(await probes.answer({ kind: 'run', registry }, origin()));
  expect(runners[0]?.jobs).toHaveLength(0);
});

test('a probe that never finishes stops blocking new ones after the longest a run may take', async () => {
  setup(['local'], { maxRunMs: 50 });
  started(await probes.answer({ kind: 'run', registry }, origin())).follow.start('card-1');
  await new Promise((resolve) => setTimeout(resolve, 80));
  started(await probes.answer({ kind: 'run', registry }, origin()));
});

test('another language: the card now, and the updates still to come, in that language', async () => {
  setup(['local', 'github']);
  const reply = started(await probes.answer({ kind: 'run', registry }, origin({ cardId: 'card-9' })));
  reply.follow.start('card-9');
  const id = runners[0]!.jobs[0]!.job.id;
  const german = await probes.answer({ kind: 'show', id, locale: 'de' }, origin({ cardId: 'card-9' }));
  if ('note' in german) throw new Error('expected a card');
  const de = translator('de');
  expect(Object.values(statesOf(german.card))).toEqual([
    de('probe-card:state.pending'),
    de('probe-card:state.pending'),
  ]);
  runners[0]?.report();
  runners[1]?.report();
  await settle();
  expect(Object.values(statesOf(connector.updates.at(-1)!.card))).toEqual([
    de('probe:verdict.healthy'),
    de('probe:verdict.healthy'),
  ]);
  const gone = await probes.answer(
    { kind: 'show', id: '00000000-0000-4000-8000-000000000000', locale: 'de' },
    origin({ cardId: 'card-9' }),
  );
  expect(gone).toEqual({ note: t('probe-card:note.gone') });
});

test('closing cancels running probes and updates no card any more', async () => {
  setup(['local']);
  started(await probes.answer({ kind: 'run', registry }, origin())).follow.start('card-1');
  const { signal } = runners[0]!.jobs[0]!;
  probes.close();
  expect(signal.aborted).toBe(true);
  await settle();
  expect(connector.updates).toEqual([]);
});

test('with no runner configured, probes are off and say so', async () => {
  setup([]);
  expect(probes.enabled).toBe(false);
  expect(await probes.answer({ kind: 'run', registry }, origin())).toEqual({
    note: t('probe-card:note.disabled'),
  });
});
