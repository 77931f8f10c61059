import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { assertLoopback } from './loopback';

const run = promisify(execFile);

/** A loopback address whose packets to port 443 are dropped; `remove()` takes the rule away again. */
export interface Blackhole {
  readonly address: string;
  remove(): Promise<void>;
}

function rule(address: string): string[] {
  return ['OUTPUT', '-d', address, '-p', 'tcp', '--dport', '443', '-j', 'DROP'];
}

/**
 * Drops every TCP packet to `address:443` with `iptables -A OUTPUT … -j DROP`, so that connecting there
 * times out like a firewall that silently drops. Needs root and iptables; call `remove()` in `afterAll`.
 */
export async function blackhole(address: string): Promise<Blackhole> {
  assertLoopback(address);
  try {
    await run('iptables', ['-w', '-A', ...rule(address)]);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('the blackhole tests need iptables: apt-get install iptables (.ci/run installs it)');
    }
    throw new Error(
      `iptables could not add a DROP rule for ${address} (run the tests as root): ${e.stderr ?? e.message}`,
    );
  }
  return {
    address,
    remove: async () => {
      await run('iptables', ['-w', '-D', ...rule(address)]);
    },
  };
}
