import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type * as restify from 'restify';

import { DevConnector } from '../dev/connector';
import { resolveLocale, supportedLocales, translator } from '../i18n';
import { packageRoot } from '../paths';
import { jsonBody } from './body';

/** Where the connector is served; the page puts this (under its origin) into each activity's `serviceUrl`. */
export const connectorPath = '/dev/connector/';

interface Asset {
  file: string;
  type: string;
}

/** Where a development dependency's browser bundle is; a clear error when `npm install` left them out. */
function devDependency(request: string): string {
  try {
    return require.resolve(request);
  } catch (err) {
    throw new Error(
      `the local chat page needs the development dependencies (npm install): ${request} is missing`,
      {
        cause: err,
      },
    );
  }
}

/** The files the page loads: ours from `src/dev/public/`, the renderer and Markdown from devDependencies. */
function assets(): Record<string, Asset> {
  const ours = (name: string, type: string): Asset => ({
    file: join(packageRoot(), 'src', 'dev', 'public', name),
    type,
  });
  return {
    '': ours('index.html', 'text/html; charset=utf-8'),
    'app.js': ours('app.js', 'text/javascript; charset=utf-8'),
    'style.css': ours('style.css', 'text/css; charset=utf-8'),
    'host-config.json': ours('host-config.json', 'application/json; charset=utf-8'),
    'icon.png': { file: join(packageRoot(), 'appPackage', 'color.png'), type: 'image/png' },
    'vendor/adaptivecards.js': {
      file: devDependency('adaptivecards/dist/adaptivecards.min.js'),
      type: 'text/javascript; charset=utf-8',
    },
    'vendor/markdown-it.js': {
      file: devDependency('markdown-it/browser'),
      type: 'text/javascript; charset=utf-8',
    },
  };
}

function param(req: restify.Request, name: string): string {
  return String((req.params as Record<string, unknown> | undefined)?.[name] ?? '');
}

/**
 * Adds the local chat page (`GET /dev`) and what it needs: its files, its strings, the connector routes
 * the bot replies to, and `GET /dev/events?conversation=…`, a Server-Sent Events stream of the bot's
 * activities and updates for one conversation.
 */
export function registerDevPage(server: restify.Server): void {
  const files = assets();
  const connector = new DevConnector();

  const serveAsset = (name: string) => async (_req: restify.Request, res: restify.Response) => {
    const asset = files[name];
    if (!asset) {
      res.send(404, { error: 'not found' });
      return;
    }
    const body = readFileSync(asset.file);
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
    res.end(body);
  };
  server.get('/dev', serveAsset(''));
  server.get('/dev/', serveAsset(''));
  for (const name of Object.keys(files).filter(Boolean)) server.get(`/dev/${name}`, serveAsset(name));

  server.get('/dev/strings/:locale', async (req: restify.Request, res: restify.Response) => {
    const locale = resolveLocale(param(req, 'locale'));
    const t = translator(locale);
    res.send(200, {
      locale,
      strings: t('bot:dev', { returnObjects: true }),
      languages: supportedLocales.map((l) => ({ locale: l, name: t(`common:language.${l}`) })),
    });
  });

  server.get('/dev/events', async (req: restify.Request, res: restify.Response) => {
    const conversation = new URL(req.url ?? '', 'http://localhost').searchParams.get('conversation');
    if (!conversation) {
      res.send(400, { error: 'conversation is required' });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const stop = connector.subscribe(conversation, (event) => {
      res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event.activity)}\n\n`);
    });
    await new Promise<void>((resolve) => res.on('close', resolve));
    stop();
  });

  const activityBody = (req: restify.Request, res: restify.Response): Record<string, unknown> | null => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'an activity is required' });
      return null;
    }
    return body as Record<string, unknown>;
  };
  const base = `${connectorPath}v3/conversations/:conversationId/activities`;
  server.post(base, jsonBody(), async (req: restify.Request, res: restify.Response) => {
    const activity = activityBody(req, res);
    if (activity) res.send(200, connector.post(param(req, 'conversationId'), activity));
  });
  server.post(`${base}/:activityId`, jsonBody(), async (req: restify.Request, res: restify.Response) => {
    const activity = activityBody(req, res);
    if (activity)
      res.send(200, connector.post(param(req, 'conversationId'), activity, param(req, 'activityId')));
  });
  server.put(`${base}/:activityId`, jsonBody(), async (req: restify.Request, res: restify.Response) => {
    const activity = activityBody(req, res);
    if (activity)
      res.send(200, connector.put(param(req, 'conversationId'), param(req, 'activityId'), activity));
  });
}
