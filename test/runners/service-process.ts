import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { childEnv } from './checkout';
import { randomLoopback } from '../servers/loopback';

/** A runner service started as its own process, the way an operator starts it. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node dist/runner-server.js --host <random 127.x> --port 0` from `checkout` with `env`, and waits for
 * its "listening on" line.
 */
export function startServiceProcess(checkout: string, env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    [join(checkout, 'dist', 'runner-server.js'), '--host', randomLoopback(), '--port', '0'],
    {
      cwd: checkout,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runner service did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve({
          url: listening[1],
          child,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the runner service exited with ${code}:\n${output}`));
    });
  });
}
