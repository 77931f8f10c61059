import type { Locator } from 'playwright-core';

import { symptomText } from '../../src/advice';
import { translator } from '../../src/i18n';
import { startTestBot, type TestBot } from '../http/harness';
import { openDevPage, type DevPage } from './browser';

const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';

const aksPull =
  'Failed to pull image "myregistry.azurecr.io/shop/api:1.4": rpc error: code = Unknown desc = failed to pull and unpack image ' +
  '"myregistry.azurecr.io/shop/api:1.4": failed to copy: httpReadSeeker: failed open: failed to do request: Get ' +
  '"https://myregistry.westeurope.data.azurecr.io/docker/registry/v2/blobs/sha256/ab": dial tcp 10.1.2.3:443: i/o timeout';

let bot: TestBot;
let dev: DevPage;

beforeAll(async () => {
  bot = await startTestBot('127.31.6.1', {}, { dev: true });
  dev = await openDevPage(bot, { width: 1100, height: 1400 });
}, 60_000);

afterAll(async () => {
  await dev?.close();
  await bot?.close();
});

const botMessages = (): Locator => dev.botMessages();
const send = (text: string): Promise<Locator> => dev.send(text);

test('the page greets like a fresh install: the welcome card', async () => {
  const welcome = botMessages().first();
  await welcome.locator('.ac-adaptiveCard').first().waitFor();
  await expect(welcome.innerText()).resolves.toContain(translator('en')('cards:help.welcomeTitle'));
});

test('a pasted error comes back as the diagnosis card; "Other causes" opens in place', async () => {
  const reply = await send(dnsError);
  const text = await reply.innerText();
  expect(text).toContain(symptomText('dns-lookup', 'en').title);
  expect(text).toContain('myregistry');
  const t = translator('en');
  const hidden = reply.locator('#otherCauses');
  await expect(hidden.isVisible()).resolves.toBe(false);
  await reply.getByRole('button', { name: t('cards:diagnosis.otherCauses', { count: 1 }) }).click();
  await expect(hidden.isVisible()).resolves.toBe(true);
  await dev.screenshot('dev-page-en', { fullPage: true });
});

test('a card button (Action.Execute) turns the card German in place', async () => {
  const card = botMessages().last();
  await card.getByRole('button', { name: 'Deutsch' }).click();
  await card.getByText(symptomText('dns-lookup', 'de').title).first().waitFor();
  await expect(botMessages().count()).resolves.toBe(2);
  await dev.screenshot('dev-page-button-de', { fullPage: true });
});

test.each([
  ['de-DE', 'de'],
  ['zh-TW', 'zh-TW'],
] as const)('with the Teams language %s a paste comes back in that language', async (tag, locale) => {
  await dev.page.selectOption('#language', tag);
  await dev.page.locator('#send', { hasText: translator(locale)('bot:dev.send') }).waitFor();
  const reply = await send(dnsError);
  expect(await reply.innerText()).toContain(symptomText('dns-lookup', locale).title);
  await dev.screenshot(`dev-page-${locale}`, { fullPage: true });
});

test('with several other causes, the card\'s chooser and "Show the fix" open the picked cause in place', async () => {
  await dev.page.selectOption('#language', 'en-US');
  const reply = await send(aksPull);
  const t = translator('en');
  await reply.getByRole('button', { name: /^Other causes/ }).click();
  const chooser = reply.locator('select');
  const picked = await chooser.locator('option').last().getAttribute('value');
  await chooser.selectOption(picked ?? '');
  const messages = await botMessages().count();
  await reply.getByRole('button', { name: t('cards:diagnosis.showFix') }).click();
  // Only the updated card says "the cause you picked"; the picked cause's title was already on screen before.
  const label = t('cards:diagnosis.pickedCause', { likelihood: t('likelihood.low', { ns: 'cards' }) });
  await reply.getByText(label).waitFor();
  const text = await reply.innerText();
  const title = t(`catalogue:causes.${picked}.title`);
  expect(
    text
      .slice(text.indexOf(label) + label.length)
      .trimStart()
      .startsWith(title),
  ).toBe(true);
  expect(text).toContain(t(`catalogue:causes.${picked}.summary`));
  await expect(reply.locator('#otherCauses').isVisible()).resolves.toBe(false);
  await expect(botMessages().count()).resolves.toBe(messages);
  await dev.screenshot('dev-page-picked-cause', { fullPage: true });
});

test('"Try the example" on the unrecognized card posts the example diagnosis as a new message', async () => {
  await dev.page.selectOption('#language', 'en-US');
  const reply = await send('the coffee machine is broken again');
  const t = translator('en');
  expect(await reply.innerText()).toContain(t('catalogue:unrecognized.title'));
  const before = await botMessages().count();
  await reply.getByRole('button', { name: t('cards:buttons.example') }).click();
  await botMessages().nth(before).locator('.ac-adaptiveCard').first().waitFor();
  expect(await botMessages().last().innerText()).toContain(symptomText('dns-lookup', 'en').title);
  await expect(reply.locator('.notice').innerText()).resolves.toBe(t('bot:sent'));
});

test('a paste of a megabyte on one line keeps the page responsive: its bubble shows the start, the bot reads it all', async () => {
  const t = translator('en');
  // 630,000 CJK characters and no line break took the page minutes to lay out when the bubble showed them all.
  const huge = `${'登錄無法連線，'.repeat(90_000)}${dnsError}`;
  const started = Date.now();
  const reply = await send(huge);
  expect(Date.now() - started).toBeLessThan(20_000);
  // The error at the very end was read: the bot got the whole text.
  expect(await reply.innerText()).toContain(symptomText('dns-lookup', 'en').title);
  const mine = dev.page.locator('.message.user').last();
  await expect(mine.locator('.cut').innerText()).resolves.toBe(
    t('bot:dev.cut', { shown: 4000, total: huge.length }),
  );
  expect((await mine.locator('.bubble').innerText()).length).toBeLessThanOrEqual(4000);
}, 60_000);

test('the page has its icon, so the browser asks for no favicon.ico that is not there', async () => {
  const href = await dev.page.locator('link[rel="icon"]').getAttribute('href');
  const response = await dev.page.request.get(`${bot.url}${href}`);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/png');
});

test('nothing was fetched from outside the bot', () => {
  expect(dev.outside).toEqual([]);
});
