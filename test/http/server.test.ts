import { readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AcrcheckError } from '../../src/errors';
import { maxBodyBytes } from '../../src/http/body';
import { isLoopbackUrl } from '../../src/http/server';
import { startBot } from '../../src/http/start';
import { message } from '../bot/teams';
import { postActivity, startConnector, startTestBot, type TestBot } from './harness';

describe('the bot server in local mode', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot('127.31.4.1');
  });
  afterAll(() => bot.close());

  test('GET /healthz answers 200 with the version', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  test('the dev page is not served unless asked for', async () => {
    expect((await fetch(`${bot.url}/dev`)).status).toBe(404);
    expect(
      (await fetch(`${bot.url}/dev/connector/v3/conversations/a/activities`, { method: 'POST' })).status,
    ).toBe(404);
  });

  test('POST /api/runner-results without a runner secret: 404 with an error, as for any job it never issued', async () => {
    for (const body of ['{"id":"job-1","runner":"github","report":{}}', 'x'.repeat(1024 * 1024)]) {
      const response = await fetch(`${bot.url}/api/runner-results`, { method: 'POST', body });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: expect.stringContaining('ACRCHECK_RUNNER_SECRET') });
    }
  });

  test('an activity whose serviceUrl is not on this machine is refused before any turn runs', async () => {
    const { status, body } = await postActivity(bot, message('http://203.0.113.9/', 'help'));
    expect(status).toBe(403);
    expect(body).toEqual({ error: expect.stringContaining('serviceUrl') });
    expect(bot.logs).toEqual([]);
  });

  test.each<[string, unknown]>([
    ['no type', { text: 'no type' }],
    ['a type that is not a string', { type: 7 }],
    [
      'fields of the wrong shape',
      { type: 'message', text: 'hi', from: 'me', conversation: 3, recipient: [] },
    ],
    ['an array', [1, 2]],
  ])('a body that is not an activity (%s) gets 400 and no reply', async (_name, body) => {
    const connector = await startConnector('127.31.4.2');
    try {
      const activity = Array.isArray(body) ? body : { serviceUrl: connector.serviceUrl, ...(body as object) };
      const { status } = await postActivity(bot, activity);
      expect(status).toBe(400);
      expect(connector.calls).toEqual([]);
    } finally {
      await connector.close();
    }
  });
});

test('with a MicrosoftAppId, a request without a Bot Framework token is refused with 401', async () => {
  // The adapter reports the refusal on console.error; the 401 is what matters here.
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const bot = await startTestBot('127.31.4.3', {
    MicrosoftAppId: '00000000-0000-4000-8000-000000000abc',
    MicrosoftAppPassword: 'not-a-real-secret',
  });
  try {
    const connector = await startConnector('127.31.4.4');
    const { status } = await postActivity(bot, message(connector.serviceUrl, 'help'));
    expect(status).toBe(401);
    expect(connector.calls).toEqual([]);
    await connector.close();
  } finally {
    await bot.close();
  }
});

test('an upload (multipart/form-data) is never read: no file lands on the disk, whatever its size', async () => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const bot = await startTestBot('127.31.4.5', {
    MicrosoftAppId: '00000000-0000-4000-8000-000000000abc',
    MicrosoftAppPassword: 'not-a-real-secret',
  });
  const uploads = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('upload_'));
  const before = new Set(uploads());
  try {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(maxBodyBytes + 1024 * 1024, 0x61)]), 'disk-filler.bin');
    const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(uploads().filter((name) => !before.has(name))).toEqual([]);
  } finally {
    await bot.close();
    for (const name of uploads().filter((n) => !before.has(n))) rmSync(join(tmpdir(), name), { force: true });
  }
});

describe('start-up', () => {
  test('a bad configuration stops start-up with a message naming each bad variable', async () => {
    const started = startBot({
      env: { PORT: 'eighty', MicrosoftAppType: 'Sometimes', MicrosoftAppPassword: 'x' },
    });
    await expect(started).rejects.toBeInstanceOf(AcrcheckError);
    await expect(started).rejects.toMatchObject({ code: 'ACRCHECK_BAD_CONFIG' });
    const message = await started.then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toContain('PORT=eighty');
    expect(message).toContain('MicrosoftAppType=Sometimes');
    expect(message).toContain('MicrosoftAppPassword');
  });

  test('a good configuration listens on PORT, on every interface', async () => {
    const { server, url } = await startBot({ env: { PORT: '0' }, log: () => undefined });
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const { port } = server.address() as AddressInfo;
      expect((await fetch(`http://127.0.0.2:${port}/healthz`)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('npm run dev (the unauthenticated chat page) listens on this machine only', async () => {
    const { server, url } = await startBot({ env: { PORT: '0' }, dev: true, log: () => undefined });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/dev`)).status).toBe(200);
      const { port } = server.address() as AddressInfo;
      await expect(fetch(`http://127.0.0.2:${port}/healthz`)).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

test.each([
  ['http://127.0.0.1:3978/', true],
  ['http://127.31.4.9/', true],
  ['http://localhost/dev/connector/', true],
  ['http://[::1]:80/', true],
  ['https://smba.trafficmanager.net/emea/', false],
  ['http://10.0.0.1/', false],
  ['http://127.0.0.1.nip.io/', false],
  ['not a url', false],
  [undefined, false],
])('isLoopbackUrl(%s) → %s', (url, expected) => {
  expect(isLoopbackUrl(url)).toBe(expected);
});
