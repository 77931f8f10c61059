import { isIP } from 'node:net';

import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request as BotRequest,
  type Response as BotResponse,
} from 'botbuilder';
import * as restify from 'restify';

import { AcrcheckBot, cardUpdater } from '../bot/handler';
import { createProbes, type ProbeRunner } from '../bot/probes';
import type { Config } from '../config';
import { createRunners, resultsPath, type RunnerDeps } from '../runners';
import { runnerMarginMs } from '../runners/deadline';
import { createMemoryProbeStore, type ProbeStore } from '../state/probe-store';
import { jsonBody } from './body';
import { registerDevPage } from './dev';
import { noJobsHandler, runnerResultsHandler } from './runner-results';
import { packageVersion } from '../paths';

/** What the server needs besides the configuration. */
export interface ServerDeps {
  /** Serve the local chat page at `/dev` and the connector it plays Teams with (`npm run dev`). */
  dev?: boolean;
  /** Where diagnostics go; standard error by default. */
  log?: (line: string) => void;
  /** What the runners take from the host (tests pass `{ env: {} }` so no proxy of the shell applies). */
  runners?: RunnerDeps;
  /** Where live probes are kept; in memory by default. */
  probeStore?: ProbeStore;
}

/** The configured runners with the kind of place each probes from, in configuration order. */
function probeRunners(
  config: Config,
  deps: RunnerDeps,
): { runners: ProbeRunner[]; set: ReturnType<typeof createRunners> } {
  const set = createRunners(config, deps);
  const services = new Set(config.runners.map((r) => r.name));
  const runners = set.runners.map((runner, i): ProbeRunner => ({
    runner,
    kind: i === 0 && config.localRunner ? 'local' : services.has(runner.name) ? 'service' : 'github',
  }));
  return { runners, set };
}

/** True for `http(s)://localhost`, `127.x.y.z` and `[::1]` URLs. */
export function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost') return true;
    if (isIP(host) === 4) return host.startsWith('127.');
    return host === '::1';
  } catch {
    return false;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The shape the adapter relies on before any turn runs: a type, a conversation id, accounts as objects. */
function isActivity(body: unknown): body is { type: string; serviceUrl?: unknown } {
  return (
    isRecord(body) &&
    typeof body.type === 'string' &&
    isRecord(body.conversation) &&
    typeof body.conversation.id === 'string' &&
    typeof body.serviceUrl === 'string' &&
    ['from', 'recipient', 'channelData'].every((key) => body[key] === undefined || isRecord(body[key])) &&
    (body.entities === undefined || Array.isArray(body.entities)) &&
    (body.attachments === undefined || Array.isArray(body.attachments))
  );
}

/**
 * Builds the bot's HTTP server without listening: `POST /api/messages` (Bot Framework), `GET /healthz`,
 * and with `deps.dev` the local chat page and its connector. With no `MicrosoftAppId` the bot runs in the
 * local, unauthenticated mode; then it only answers activities whose `serviceUrl` is on this machine, so
 * it cannot be made to post to other hosts.
 */
export function createServer(config: Config, deps: ServerDeps = {}): restify.Server {
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppType: config.app.type,
    MicrosoftAppId: config.app.id,
    MicrosoftAppPassword: config.app.password,
    MicrosoftAppTenantId: config.app.tenantId,
  } as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new CloudAdapter(auth);
  const { runners, set } = probeRunners(config, deps.runners ?? {});
  const probes = createProbes({
    runners,
    store:
      deps.probeStore ??
      createMemoryProbeStore({ maxRunMs: config.runnerTimeoutMs + config.probe.timeoutMs + runnerMarginMs }),
    update: cardUpdater(adapter, config.app.id),
    probeTimeoutMs: config.probe.timeoutMs,
    runnerTimeoutMs: config.runnerTimeoutMs,
    log,
  });
  const bot = new AcrcheckBot({ log, probes });
  adapter.onTurnError = (context, err) => bot.turnError(context, err);
  const localMode = config.app.id === '';

  const server = restify.createServer({ name: 'acrcheck' });
  server.post('/api/messages', jsonBody(), async (req: restify.Request, res: restify.Response) => {
    const body: unknown = req.body;
    if (!isActivity(body)) {
      res.send(400, { error: 'the body is not a Bot Framework activity' });
      return;
    }
    if (localMode && !isLoopbackUrl(body.serviceUrl)) {
      res.send(403, {
        error: 'without MicrosoftAppId the bot only answers activities whose serviceUrl is on this machine',
      });
      return;
    }
    let later: (() => void)[] = [];
    try {
      await adapter.process(req as unknown as BotRequest, res as unknown as BotResponse, async (context) => {
        try {
          await bot.run(context);
        } finally {
          later = bot.afterTurn(context);
        }
      });
    } catch (err) {
      // The adapter validates the activity's shape before any turn and throws on a malformed one.
      log(`refused activity: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.send(400, { error: 'the body is not a Bot Framework activity' });
    }
    // `process` has written the answer (an invoke's card included): only now may a probe update that card.
    for (const work of later) work();
  });

  // Results that runners post later (the GitHub workflow); signed over the exact bytes, so no body parser.
  // Without a runner secret the bot issues no job ids, so every result is for an unknown job (CONTRACT.md §6).
  server.post(resultsPath, set.results ? runnerResultsHandler(set.results) : noJobsHandler);
  server.server.once('close', () => probes.close());

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok', version: packageVersion() });
  });

  if (deps.dev) registerDevPage(server);
  return server;
}
