/** A bounded number of jobs at once, with a bounded line of jobs waiting for a turn. */
export interface Slots {
  /**
   * Resolves with `release` once a slot is free, or with null when the line is full, `waitMs` passed or
   * `signal` aborted first. Call `release` exactly once when the job is done (further calls do nothing).
   */
  acquire(waitMs: number, signal: AbortSignal): Promise<(() => void) | null>;
  readonly running: number;
  readonly waiting: number;
}

interface Waiter {
  grant(): void;
}

/** Slots for at most `limit` jobs at once and `maxWaiting` jobs in line. */
export function createSlots(limit: number, maxWaiting: number): Slots {
  let running = 0;
  const line: Waiter[] = [];

  const release = (): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = line.shift();
      if (next) next.grant();
      else running -= 1;
    };
  };

  return {
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
    acquire(waitMs, signal) {
      if (running < limit) {
        running += 1;
        return Promise.resolve(release());
      }
      if (line.length >= maxWaiting || waitMs <= 0 || signal.aborted) return Promise.resolve(null);
      return new Promise((resolve) => {
        const leave = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', leave);
          const at = line.indexOf(waiter);
          if (at !== -1) line.splice(at, 1);
          resolve(null);
        };
        const waiter: Waiter = {
          grant: () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', leave);
            resolve(release());
          },
        };
        const timer = setTimeout(leave, waitMs);
        signal.addEventListener('abort', leave, { once: true });
        line.push(waiter);
      });
    },
  };
}
