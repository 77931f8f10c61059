import { defaults } from '../src/config';
import { probe } from '../src/probe';
import { parseRegistry } from '../src/target';
import { blackhole, type Blackhole } from '../test/servers/blackhole';
import { randomLoopback } from '../test/servers/loopback';
import { startAcrWorld, type AcrWorld } from '../test/servers/world';
import type { Bench } from './index';

interface Scenario {
  name: string;
  registry: string;
  runs: number;
  /** Probes started at once in each run (default 1); the time is the whole batch's. */
  concurrent?: number;
  /** Prepares the world; returns why the scenario cannot run here, or null. */
  setUp(world: AcrWorld): Promise<string | null>;
}

const holes: Blackhole[] = [];

const scenarios: Scenario[] = [
  {
    name: 'healthy',
    registry: 'benchhealthy',
    runs: 40,
    setUp: async (w) => (await w.addRegistry('benchhealthy'), null),
  },
  {
    name: 'denied (403 DENIED)',
    registry: 'benchdenied',
    runs: 40,
    setUp: async (w) => {
      await w.addRegistry('benchdenied', {
        login: { behaviour: { kind: 'denied' } },
        data: { behaviour: { kind: 'denied' } },
      });
      return null;
    },
  },
  {
    // With ACRCHECK_CA_FILE every handshake once parsed Node's ~140 roots; 20 at once then stalled TLS.
    name: 'healthy, 20 at once, extra CA',
    registry: 'benchcrowd',
    runs: 5,
    concurrent: 20,
    setUp: async (w) => (await w.addRegistry('benchcrowd'), null),
  },
  {
    name: 'blackholed (packets dropped)',
    registry: 'benchdropped',
    runs: 5,
    setUp: async (w) => {
      const address = randomLoopback();
      try {
        holes.push(await blackhole(address));
      } catch (err) {
        return `skipped: needs root and iptables (${err instanceof Error ? err.message : String(err)})`;
      }
      w.dns.set('benchdropped.azurecr.io', { a: [address] });
      return null;
    },
  },
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Time to verdict of a whole probe (DNS to findings) against the loopback registry double, default timeout. */
export const probeBench: Bench = {
  name: 'probe',
  async run() {
    const world = await startAcrWorld({ timeoutMs: defaults.probeTimeoutMs });
    const rows: string[][] = [];
    try {
      for (const scenario of scenarios) {
        const skipped = await scenario.setUp(world);
        if (skipped) {
          rows.push([scenario.name, '-', '-', '-', '-', '-', skipped]);
          continue;
        }
        const options = { ...world.settings, runnerName: 'bench', env: {} };
        const registry = parseRegistry(scenario.registry);
        await probe(registry, options);
        const times: number[] = [];
        let outcome = '';
        const batch = scenario.concurrent ?? 1;
        for (let i = 0; i < scenario.runs; i++) {
          const started = performance.now();
          const reports = await Promise.all(Array.from({ length: batch }, () => probe(registry, options)));
          times.push(performance.now() - started);
          const verdicts = new Map<string, number>();
          for (const report of reports) {
            const key = `${report.verdict}${report.causes[0] ? ` (${report.causes[0].id})` : ''}`;
            verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
          }
          outcome = [...verdicts].map(([key, n]) => (batch > 1 ? `${n}× ${key}` : key)).join(', ');
        }
        times.sort((a, b) => a - b);
        const ms = (v: number): string => v.toFixed(0);
        rows.push([
          scenario.name,
          String(options.timeoutMs),
          String(scenario.runs),
          ms(percentile(times, 50)),
          ms(percentile(times, 95)),
          ms(times[times.length - 1] ?? 0),
          outcome,
        ]);
      }
    } finally {
      await Promise.all(holes.map((h) => h.remove()));
      await world.close();
    }
    const header = ['scenario', 'timeout ms', 'runs', 'p50 ms', 'p95 ms', 'max ms', 'verdict'];
    const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
