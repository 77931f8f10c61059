import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { bodyOf, startHttp, type HttpServer } from './helpers';

/** The committed workflow, parsed. */
export const workflowPath = join(__dirname, '..', '..', '.github', 'workflows', 'acrcheck-probe.yml');

interface WorkflowInput {
  required?: boolean;
  type?: string;
  default?: string;
}

/** The `workflow_dispatch` inputs the committed workflow declares. */
export function declaredInputs(): Record<string, WorkflowInput> {
  const workflow = parse(readFileSync(workflowPath, 'utf8')) as {
    on: { workflow_dispatch: { inputs: Record<string, WorkflowInput> } };
  };
  return workflow.on.workflow_dispatch.inputs;
}

/** One request the fake received. */
export interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * How the fake plays GitHub: `current` answers 200 with run details when asked for them and 204 otherwise;
 * `old-ghes` rejects `return_run_details` with 422 like GitHub Enterprise Server before it knew the field.
 */
export type GithubFlavour = 'current' | 'old-ghes';

export interface FakeGithubOptions {
  token: string;
  repo: string;
  workflow: string;
  flavour?: GithubFlavour;
  /** A fixed answer to every dispatch (an outage, a rate limit), instead of GitHub's checks. */
  answer?: { status: number; body: string };
  /** The "workflow run": started with the inputs after an accepted dispatch, not awaited. */
  run?: (inputs: Record<string, string>) => Promise<void>;
}

/** A local HTTP server playing GitHub's REST API for `workflow_dispatch`. */
export interface FakeGithub extends HttpServer {
  readonly received: Received[];
  /** Runs started and not yet finished. */
  readonly runs: Promise<void>[];
}

const json = (status: number, value: unknown): { status: number; body: string } => ({
  status,
  body: JSON.stringify(value),
});

/**
 * Checks each dispatch as GitHub does and a little stricter: the path of the workflow, a Bearer token, the
 * Accept and X-GitHub-Api-Version headers, a `ref`, and inputs that match what the committed workflow declares
 * (unknown inputs and missing required ones are 422, as on GitHub).
 */
export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const received: Received[] = [];
  const runs: Promise<void>[] = [];
  const inputs = declaredInputs();
  let runId = 4000;

  const judge = (entry: Received): { status: number; body: string; inputs?: Record<string, string> } => {
    if (options.answer) return options.answer;
    const path = `/repos/${options.repo}/actions/workflows/${options.workflow}/dispatches`;
    if (entry.method !== 'POST' || entry.path !== path) return json(404, { message: 'Not Found' });
    if (entry.headers.authorization !== `Bearer ${options.token}`)
      return json(401, { message: 'Bad credentials' });
    if (entry.headers.accept !== 'application/vnd.github+json')
      return json(415, { message: 'fake: Accept must be application/vnd.github+json' });
    if (entry.headers['x-github-api-version'] !== '2022-11-28')
      return json(400, { message: 'fake: X-GitHub-Api-Version must be 2022-11-28' });
    const body = entry.body as {
      ref?: unknown;
      inputs?: Record<string, unknown>;
      return_run_details?: unknown;
    } | null;
    if (!body || typeof body.ref !== 'string')
      return json(422, { message: 'Invalid request.\n\n"ref" wasn\'t supplied.' });
    const extra = Object.keys(body).filter((k) => !['ref', 'inputs', 'return_run_details'].includes(k));
    if (extra.length)
      return json(422, { message: `Invalid request.\n\n"${extra[0]}" is not a permitted key.` });
    if ('return_run_details' in body && options.flavour === 'old-ghes') {
      return json(422, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.' });
    }
    const given = body.inputs ?? {};
    const unexpected = Object.keys(given).filter((k) => !(k in inputs));
    if (unexpected.length)
      return json(422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}` });
    const missing = Object.entries(inputs)
      .filter(([k, v]) => v.required && !given[k])
      .map(([k]) => k);
    if (missing.length) return json(422, { message: `Required input '${missing[0]}' not provided` });
    const strings: Record<string, string> = {};
    for (const [k, v] of Object.entries(inputs)) {
      const value = given[k] ?? v.default ?? '';
      if (typeof value !== 'string') return json(422, { message: `Input ${k} must be a string` });
      strings[k] = value;
    }
    if (body.return_run_details === true) {
      const id = ++runId;
      return {
        ...json(200, {
          workflow_run_id: id,
          run_url: `https://api.github.com/repos/${options.repo}/actions/runs/${id}`,
          html_url: `https://github.com/${options.repo}/actions/runs/${id}`,
        }),
        inputs: strings,
      };
    }
    return { status: 204, body: '', inputs: strings };
  };

  const http = await startHttp((req, res) => {
    void bodyOf(req).then((raw) => {
      let body: unknown = null;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
      const entry: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(entry);
      const verdict = judge(entry);
      // restify, once loaded, patches ServerResponse.writeHead to return undefined: never chain it.
      res.writeHead(verdict.status, verdict.body ? { 'content-type': 'application/json' } : {});
      res.end(verdict.body);
      if (verdict.inputs && options.run) runs.push(options.run(verdict.inputs));
    });
  });
  return {
    ...http,
    received,
    runs,
    close: async () => {
      await Promise.allSettled(runs);
      await http.close();
    },
  };
}
