import type * as restify from 'restify';

import { maxResultBytes, type RunnerResults } from '../runners/results';
import { readRawBody } from './raw-body';

/**
 * The bot's `POST /api/runner-results` as a restify handler over {@link RunnerResults}. Mount it on a route
 * that no body parser has read: the signature covers the exact bytes received.
 */
export function runnerResultsHandler(
  results: RunnerResults,
): (req: restify.Request, res: restify.Response) => Promise<void> {
  return async (req, res) => {
    const raw = await readRawBody(req, maxResultBytes);
    const reply = raw
      ? results.handle(raw, req.headers)
      : { status: 413, body: { error: `the body is larger than ${maxResultBytes} bytes` } };
    res.sendRaw(reply.status, Buffer.from(JSON.stringify(reply.body)), {
      'content-type': 'application/json; charset=utf-8',
      ...(raw ? {} : { connection: 'close' }),
    });
  };
}

/** Longest body read before answering a bot that has no runner posting results later (it drains, then answers). */
const noJobsBodyBytes = 64 * 1024;

/** `POST /api/runner-results` on a bot without a runner secret: no runner can post to it, every job id is unknown. */
export async function noJobsHandler(req: restify.Request, res: restify.Response): Promise<void> {
  const raw = await readRawBody(req, noJobsBodyBytes).catch(() => null);
  const body = {
    error: 'this bot has no ACRCHECK_RUNNER_SECRET: it issued no job id and takes no results from runners',
  };
  res.sendRaw(404, Buffer.from(JSON.stringify(body)), {
    'content-type': 'application/json; charset=utf-8',
    ...(raw ? {} : { connection: 'close' }),
  });
}
