import { readFile } from 'node:fs/promises';
import { text as readStream } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';

import { request } from 'undici';

import { loadRunnerSecret } from '../config';
import type { ProbeReport } from '../contract';
import { AcrcheckError } from '../errors';
import { errorText, readCapped, userAgent } from '../runners/http';
import { isJobId } from '../runners/job';
import { reportProblem } from '../runners/report';
import { maxErrorText, maxResultBytes } from '../runners/results';
import { signHeaders } from '../runners/signing';
import { badUsage, parseFlags, write, type CliIo, type Command } from './io';

/**
 * A result that says why no probe ran: `error` for bots that know it (the card shows the runner as refused,
 * with the text), and beside it a report with no checks whose summary says the same, for bots that do not.
 */
function errorResult(registry: string, runner: string, text: string): Record<string, unknown> {
  const detail = text.trim().replace(/\s+/g, ' ').slice(0, maxErrorText) || 'no reason given';
  if (!registry || registry.length > 253 || /[\p{Cc}\s]/u.test(registry))
    badUsage('--registry must be the login server the job names');
  const report: ProbeReport = {
    target: { name: registry.split('.')[0] ?? registry, loginServer: registry, dataEndpoints: [] },
    runner: { name: runner },
    checks: [],
    verdict: 'unhealthy',
    causes: [],
    summary: `${runner} could not probe: ${detail}`,
  };
  return { report, error: { kind: 'refused', detail } };
}

/** Pauses before the second and third delivery attempts. */
export const postRetryDelaysMs = [1000, 2000] as const;

/**
 * `acrcheck post-result <callback-url> --id JOB --runner NAME [--file REPORT]`: posts a `probe --json` report
 * to the bot's results route, signed with `ACRCHECK_RUNNER_SECRET` (CONTRACT.md §6). The shipped workflow runs
 * it after `acrcheck probe`. With `--error TEXT --registry LOGIN_SERVER` instead of a report it posts why no
 * probe ran (a refused target, a bad setting): an `error` beside a report that says the same, so that the card
 * shows the reason at once instead of a time-out. Retries when the bot is unreachable or busy; a 409 means it
 * already has the result. Reads no variable but `ACRCHECK_RUNNER_SECRET`.
 * Exit status: 0 delivered, 1 not delivered, 2 bad usage.
 */
export const postResultCommand: Command = {
  usage: [
    'acrcheck post-result <callback-url> --id JOB --runner NAME [--file REPORT]   (reads standard input without --file)',
    'acrcheck post-result <callback-url> --id JOB --runner NAME --registry LOGIN_SERVER --error TEXT   (why no probe ran)',
  ],
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags({
      args,
      options: {
        id: { type: 'string' },
        runner: { type: 'string' },
        file: { type: 'string' },
        registry: { type: 'string' },
        error: { type: 'string' },
      },
      allowPositionals: true,
    });
    const [callbackUrl, ...extra] = positionals;
    if (!callbackUrl || extra.length) badUsage('post-result takes exactly one callback URL');
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      badUsage(`'${callbackUrl}' is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      badUsage(`'${callbackUrl}' is not an http(s) URL`);
    if (!isJobId(values.id)) badUsage('--id must be the job id the bot issued');
    const runner = values.runner?.trim();
    if (!runner || runner.length > 128 || /[\p{Cc}\p{Zl}\p{Zp}]/u.test(values.runner ?? '')) {
      badUsage('--runner must name this runner on one line (at most 128 characters, no control characters)');
    }
    if ((values.error === undefined) !== (values.registry === undefined))
      badUsage('--error and --registry go together: why no probe ran, and the registry of the job');
    if (values.error !== undefined && values.file !== undefined)
      badUsage('--error posts no report: leave out --file');
    const secret = loadRunnerSecret(io.env);
    if (!secret) {
      const problem =
        'ACRCHECK_RUNNER_SECRET is not set: results are signed with the secret shared with the bot';
      throw new AcrcheckError('ACRCHECK_BAD_CONFIG', problem, { problems: problem });
    }

    let result: Record<string, unknown>;
    if (values.error !== undefined && values.registry !== undefined) {
      result = errorResult(values.registry, runner, values.error);
    } else {
      let text: string;
      try {
        text = values.file ? await readFile(values.file, 'utf8') : await readStream(io.stdin);
      } catch (err) {
        const detail = (err as NodeJS.ErrnoException).code ?? String(err);
        throw new AcrcheckError(
          'ACRCHECK_BAD_FILE',
          `cannot read ${values.file ?? 'standard input'} (${detail})`,
          {
            file: values.file ?? '-',
            detail,
          },
        );
      }
      let report: unknown;
      try {
        report = JSON.parse(text);
      } catch {
        report = undefined;
      }
      const problem = report === undefined ? 'it is not JSON' : reportProblem(report);
      if (problem) badUsage(`the report to post is not a probe --json report: ${problem}`);
      result = { report };
    }

    const body = Buffer.from(JSON.stringify({ id: values.id, runner, ...result }));
    if (body.length > maxResultBytes) badUsage(`the report is larger than ${maxResultBytes} bytes`);
    for (let attempt = 0; ; attempt++) {
      let outcome: { status: number; error: string };
      try {
        const response = await request(url, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(30_000),
          headers: {
            'content-type': 'application/json',
            'user-agent': userAgent(),
            ...signHeaders(secret, body),
          },
        });
        const raw = await readCapped(response.body, 64 * 1024);
        outcome = { status: response.statusCode, error: errorText(raw) };
      } catch (err) {
        outcome = { status: 0, error: err instanceof Error ? err.message : String(err) };
      }
      if (outcome.status === 202 || outcome.status === 409) {
        const note = outcome.status === 409 ? ' (it already had this result)' : '';
        await write(io.stdout, `posted the report of job ${values.id} to ${url.origin}${note}\n`);
        return 0;
      }
      const retry = outcome.status === 0 || outcome.status === 429 || outcome.status >= 500;
      const delay = postRetryDelaysMs[attempt];
      if (!retry || delay === undefined) {
        const status = outcome.status ? `HTTP ${outcome.status}` : 'no answer';
        await write(
          io.stderr,
          `acrcheck post-result: ${url.origin} did not take the report: ${status}: ${outcome.error}\n`,
        );
        return 1;
      }
      await sleep(delay);
    }
  },
};
