import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { symptomText } from '../../src/advice';
import { translator } from '../../src/i18n';
import { packageRoot } from '../../src/paths';
import { startTestBot, type TestBot } from '../http/harness';

const artifacts = join(packageRoot(), 'artifacts');
const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';

const aksPull =
  'Failed to pull image "myregistry.azurecr.io/shop/api:1.4": rpc error: code = Unknown desc = failed to pull and unpack image ' +
  '"myregistry.azurecr.io/shop/api:1.4": failed to copy: httpReadSeeker: failed open: failed to do request: Get ' +
  '"https://myregistry.westeurope.data.azurecr.io/docker/registry/v2/blobs/sha256/ab": dial tcp 10.1.2.3:443: i/o timeout';

let bot: TestBot;
let browser: Browser;
let page: Page;
const outside: string[] = [];

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  bot = await startTestBot('127.31.6.1', {}, { dev: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  // The page must work with no network: anything not served by the bot is refused and remembered.
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(bot.url)) return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${bot.url}/dev`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.close();
});

const botMessages = (): Locator => page.locator('.message.bot');

async function send(text: string): Promise<Locator> {
  const before = await botMessages().count();
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await botMessages().nth(before).locator('.ac-adaptiveCard').first().waitFor();
  return botMessages().nth(before);
}

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
  await page.screenshot({ path: join(artifacts, 'dev-page-en.png'), fullPage: true });
});

test('a card button (Action.Execute) turns the card German in place', async () => {
  const card = botMessages().last();
  await card.getByRole('button', { name: 'Deutsch' }).click();
  await card.getByText(symptomText('dns-lookup', 'de').title).first().waitFor();
  await expect(botMessages().count()).resolves.toBe(2);
  await page.screenshot({ path: join(artifacts, 'dev-page-button-de.png'), fullPage: true });
});

test.each([
  ['de-DE', 'de'],
  ['zh-TW', 'zh-TW'],
] as const)('with the Teams language %s a paste comes back in that language', async (tag, locale) => {
  await page.selectOption('#language', tag);
  await page.locator('#send', { hasText: translator(locale)('bot:dev.send') }).waitFor();
  const reply = await send(dnsError);
  expect(await reply.innerText()).toContain(symptomText('dns-lookup', locale).title);
  await page.screenshot({ path: join(artifacts, `dev-page-${locale}.png`), fullPage: true });
});

test('with several other causes, the card\'s chooser and "Show the fix" open the picked cause in place', async () => {
  await page.selectOption('#language', 'en-US');
  const reply = await send(aksPull);
  const t = translator('en');
  await reply.getByRole('button', { name: /^Other causes/ }).click();
  const chooser = reply.locator('select');
  const picked = await chooser.locator('option').last().getAttribute('value');
  await chooser.selectOption(picked ?? '');
  await reply.getByRole('button', { name: t('cards:diagnosis.showFix') }).click();
  await reply
    .getByText(t(`catalogue:causes.${picked}.title`))
    .first()
    .waitFor();
  expect(await reply.innerText()).toContain(
    t('cards:diagnosis.pickedCause', { likelihood: t('likelihood.low', { ns: 'cards' }) }),
  );
  await page.screenshot({ path: join(artifacts, 'dev-page-picked-cause.png'), fullPage: true });
});

test('"Try the example" on the unrecognized card posts the example diagnosis as a new message', async () => {
  await page.selectOption('#language', 'en-US');
  const reply = await send('the coffee machine is broken again');
  const t = translator('en');
  expect(await reply.innerText()).toContain(t('catalogue:unrecognized.title'));
  const before = await botMessages().count();
  await reply.getByRole('button', { name: t('cards:buttons.example') }).click();
  await botMessages().nth(before).locator('.ac-adaptiveCard').first().waitFor();
  expect(await botMessages().last().innerText()).toContain(symptomText('dns-lookup', 'en').title);
  await expect(reply.locator('.notice').innerText()).resolves.toBe(t('bot:sent'));
});

test('nothing was fetched from outside the bot', () => {
  expect(outside).toEqual([]);
});
