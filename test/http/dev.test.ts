import { translator } from '../../src/i18n';
import { buttonsOf, cardOf, textOf, type Json } from '../bot/cards';
import { message, submit } from '../bot/teams';
import { postActivity, startTestBot, type TestBot } from './harness';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot('127.31.5.1', {}, { dev: true });
});
afterAll(() => bot.close());

/** Reads a Server-Sent Events stream, collecting its events. */
async function subscribe(
  conversation: string,
): Promise<{ events: { event: string; data: Json }[]; next(count: number): Promise<void>; stop(): void }> {
  const abort = new AbortController();
  const response = await fetch(`${bot.url}/dev/events?conversation=${encodeURIComponent(conversation)}`, {
    signal: abort.signal,
  });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const events: { event: string; data: Json }[] = [];
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const read = async (count: number): Promise<void> => {
    while (events.length < count && reader) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) as Json });
      }
    }
  };
  return { events, next: read, stop: () => abort.abort() };
}

test('GET /dev serves the page, its script, the renderer and Markdown from the dev dependencies', async () => {
  const page = await fetch(`${bot.url}/dev`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const html = await page.text();
  for (const src of ['/dev/vendor/adaptivecards.js', '/dev/vendor/markdown-it.js', '/dev/app.js']) {
    expect(html).toContain(src);
    const asset = await fetch(`${bot.url}${src}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
  }
  expect(await (await fetch(`${bot.url}/dev/vendor/adaptivecards.js`)).text()).toContain('AdaptiveCard');
  const hostConfig = (await (await fetch(`${bot.url}/dev/host-config.json`)).json()) as Json;
  expect(hostConfig).toMatchObject({
    actions: { maxActions: 6, showCard: { actionMode: 'Inline' } },
    spacing: { padding: 16 },
  });
});

test('the page strings come in the picked language', async () => {
  const body = (await (await fetch(`${bot.url}/dev/strings/de-DE`)).json()) as {
    locale: string;
    strings: Json;
  };
  expect(body.locale).toBe('de');
  expect(body.strings.send).toBe(translator('de')('bot:dev.send'));
});

test("the connector takes the bot's replies and updates and streams them to the page's conversation", async () => {
  const conversation = 'a:dev-test-1';
  const stream = await subscribe(conversation);
  const other = await subscribe('a:someone-else');
  try {
    const serviceUrl = `${bot.url}/dev/connector/`;
    const sent = message(serviceUrl, 'help');
    sent.conversation = { id: conversation, conversationType: 'personal' };
    expect((await postActivity(bot, sent)).status).toBe(200);
    await stream.next(1);
    const [first] = stream.events;
    expect(first?.event).toBe('activity');
    expect(first?.data).toMatchObject({ replyToId: sent.id, id: expect.stringMatching(/^bot-/) });
    const card = cardOf(first?.data);
    expect(textOf(card)).toContain(translator('en')('cards:help.title'));

    const german = buttonsOf(card).find((b) => b.data.locale === 'de');
    const click = submit(serviceUrl, german?.data, String(first?.data.id));
    click.conversation = sent.conversation;
    expect((await postActivity(bot, click)).status).toBe(200);
    await stream.next(2);
    expect(stream.events[1]).toMatchObject({ event: 'update', data: { id: first?.data.id } });
    expect(textOf(cardOf(stream.events[1]?.data))).toContain(translator('de')('cards:help.title'));
    expect(other.events).toEqual([]);
  } finally {
    stream.stop();
    other.stop();
  }
});

test('the connector refuses what is not an activity', async () => {
  const response = await fetch(`${bot.url}/dev/connector/v3/conversations/a%3Ax/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hello: 'world' }),
  });
  expect(response.status).toBe(400);
});
