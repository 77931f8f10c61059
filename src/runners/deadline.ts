import { RunnerError } from './runner';

/** Time a runner gets beyond the probe's own deadline to hand its report over (process start, network, JSON). */
export const runnerMarginMs = 2000;

/**
 * Runs `work` with a signal that aborts after `ms` or when `outer` aborts; either rejects with a `timeout`
 * {@link RunnerError} at once, without waiting for `work` to notice. The timer is cleared when `work` settles.
 */
export async function within<T>(
  runner: string,
  ms: number,
  outer: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (outer.aborted) throw new RunnerError(runner, 'timeout', 'the probe was cancelled before it started');
  const inner = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    const stop = (detail: string): void => {
      const error = new RunnerError(runner, 'timeout', detail);
      inner.abort(error);
      reject(error);
    };
    timer = setTimeout(() => stop(`no report within ${ms} ms`), ms);
    onAbort = () => stop('the probe was cancelled');
    outer.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([stopped, work(inner.signal)]);
  } finally {
    clearTimeout(timer);
    if (onAbort) outer.removeEventListener('abort', onAbort);
  }
}
