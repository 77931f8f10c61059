import { messageActionBench } from './message-action';
import { probeBench } from './probe';
import { recognizeBench } from './recognize';
import { runnersBench } from './runners';

/**
 * `npm run bench`: every benchmark, registered by listing; each prints its own table.
 * Speed and memory targets live here, never in timed tests.
 */
export interface Bench {
  name: string;
  run(): Promise<void>;
}

export const benches: Bench[] = [probeBench, recognizeBench, runnersBench, messageActionBench];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const bench of benches) {
    if (only.length && !only.includes(bench.name)) continue;
    process.stdout.write(`\n## ${bench.name}\n\n`);
    await bench.run();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
