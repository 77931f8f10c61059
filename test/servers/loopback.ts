import { randomInt } from 'node:crypto';

/**
 * A random loopback address `127.x.y.z` (never 127.0.0.1), so that parallel test files and other helpers'
 * servers on port 443 do not collide. Every test server binds one of these; nothing binds beyond loopback.
 */
export function randomLoopback(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
}

/** True for 127.0.0.0/8 and ::1: the only addresses tests may resolve to or connect to. */
export function isLoopback(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1';
}

/** Throws unless `address` is loopback: every server and every fake DNS answer goes through this. */
export function assertLoopback(address: string): void {
  if (!isLoopback(address)) throw new Error(`test servers only use loopback addresses, not ${address}`);
}

interface Listenable {
  listen(port: number, host: string, callback: () => void): unknown;
  once(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
  removeAllListeners(event: 'error'): unknown;
}

/**
 * Listens on `port` at a fresh random loopback address (or the one given), trying other addresses when the
 * port is taken there. Resolves with the address it got.
 */
export async function listenOnLoopback(server: Listenable, port: number, address?: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const host = attempt === 0 && address ? address : randomLoopback();
    assertLoopback(host);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeAllListeners('error');
          resolve();
        });
      });
      return host;
    } catch (err) {
      server.removeAllListeners('error');
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 8 || address) throw err;
    }
  }
}
