import type { Locator, Page, Request } from 'playwright-core';

import { symptomText } from '../../src/advice';
import { translator, type Locale } from '../../src/i18n';
import { silentResolver, startTestBot, type TestBot } from '../http/harness';
import { openDevPage, type DevPage } from './browser';

const dnsError =
  'Error response from daemon: Get "https://myregistry.azurecr.io/v2/": dial tcp: lookup myregistry.azurecr.io on 10.0.0.10:53: no such host';

let bot: TestBot;
let dev: DevPage;
let page: Page;
const invokes: { name: string; value: Record<string, unknown>; locale: string }[] = [];

beforeAll(async () => {
  bot = await startTestBot('127.47.3.1', silentResolver('127.47.3.9'), { dev: true });
  dev = await openDevPage(bot, { width: 1100, height: 1200 });
  page = dev.page;
  page.on('request', (request: Request) => {
    if (!request.url().endsWith('/api/messages')) return;
    const activity = request.postDataJSON() as { type: string; name?: string; value: never; locale: string };
    if (activity.type === 'invoke' && activity.name?.startsWith('composeExtension/'))
      invokes.push({ name: activity.name, value: activity.value, locale: activity.locale });
  });
}, 60_000);

afterAll(async () => {
  await dev?.close();
  await bot?.close();
});

const dialog = (): Locator => page.locator('.dialog');

async function chooseAction(message: Locator, locale: Locale): Promise<void> {
  const t = translator(locale);
  await message.hover();
  await message.getByRole('button', { name: t('bot:dev.moreActions') }).click();
  await message.getByRole('menuitem', { name: t('bot:dev.diagnose') }).click();
  await dialog().locator('.ac-adaptiveCard').first().waitFor();
}

async function setLanguage(tag: string, locale: Locale): Promise<void> {
  await page.selectOption('#language', tag);
  await page.locator('#send', { hasText: translator(locale)('bot:dev.send') }).waitFor();
}

test('a pasted error, then "Diagnose with acrcheck" on it: the dialog shows the diagnosis', async () => {
  const t = translator('en');
  await page.fill('#input', `Since this morning our pull fails:\n${dnsError}`);
  await page.press('#input', 'Enter');
  const pasted = page.locator('.message.user').last();
  await page.locator('.message.bot').nth(1).locator('.ac-adaptiveCard').first().waitFor();

  await pasted.hover();
  await pasted.getByRole('button', { name: t('bot:dev.moreActions') }).click();
  await dev.screenshot('message-action-menu');
  await pasted.getByRole('menuitem', { name: t('bot:dev.diagnose') }).click();
  await dialog().locator('.ac-adaptiveCard').first().waitFor();

  await expect(dialog().locator('#dialog-title').innerText()).resolves.toBe(t('message-action:title'));
  const text = await dialog().innerText();
  expect(text).toContain(symptomText('dns-lookup', 'en').title);
  expect(text).toContain('myregistry.azurecr.io');
  expect(text).toContain(t('message-action:from', { name: 'Developer' }));
  await expect(dialog().getByRole('button', { name: 'Deutsch' }).count()).resolves.toBe(0);
  await dev.screenshot('message-action-dialog-en');

  // Exactly what Teams sends: the fetchTask invoke, the message's HTML in messagePayload, the picker's locale.
  const [fetch] = invokes.slice(-1);
  expect(fetch?.name).toBe('composeExtension/fetchTask');
  expect(fetch?.locale).toBe('en-US');
  expect(fetch?.value).toMatchObject({
    commandId: 'diagnose',
    commandContext: 'message',
    messagePayload: {
      body: { contentType: 'html', content: expect.stringContaining('no such host') as unknown },
      from: { user: { displayName: 'Developer' } },
    },
  });
  await page.keyboard.press('Escape');
  await expect(dialog().isVisible()).resolves.toBe(false);
});

test.each([
  ['de-DE', 'de'],
  ['zh-TW', 'zh-TW'],
] as const)('with the Teams language %s the dialog answers in that language', async (tag, locale) => {
  await setLanguage(tag, locale);
  const t = translator(locale);
  await chooseAction(page.locator('.message.user').last(), locale);
  await expect(dialog().locator('#dialog-title').innerText()).resolves.toBe(t('message-action:title'));
  expect(await dialog().innerText()).toContain(symptomText('dns-lookup', locale).title);
  expect(invokes.at(-1)?.locale).toBe(tag);
  await dev.screenshot(`message-action-dialog-${locale}`);
  await dialog()
    .getByRole('button', { name: t('bot:dev.close') })
    .click();
});

test('"Share in chat" puts the card into the compose box; Send posts it in the chat', async () => {
  await setLanguage('en-US', 'en');
  const t = translator('en');
  await chooseAction(page.locator('.message.user').last(), 'en');
  await dialog()
    .getByRole('button', { name: t('message-action:share') })
    .click();
  await page.locator('#composed .ac-adaptiveCard').waitFor();
  await expect(dialog().isVisible()).resolves.toBe(false);
  expect(invokes.at(-1)?.name).toBe('composeExtension/submitAction');
  expect(invokes.at(-1)?.value).toMatchObject({ commandId: 'diagnose', data: { verb: 'diagnosis.share' } });
  await expect(page.locator('#composed').innerText()).resolves.toContain(t('bot:dev.composed'));
  await dev.screenshot('message-action-compose');

  await page.fill('#input', 'This is what acrcheck says about it:');
  await page.click('#send');
  const shared = page.locator('.message.card-message').last();
  await shared.locator('.ac-adaptiveCard').waitFor();
  await expect(page.locator('#composed').isVisible()).resolves.toBe(false);
  const text = await shared.innerText();
  expect(text).toContain(t('bot:dev.via'));
  expect(text).toContain('This is what acrcheck says about it:');
  expect(text).toContain(symptomText('dns-lookup', 'en').title);

  // The shared card keeps its buttons: "Deutsch" turns it German in place, as on the bot's own cards.
  await shared.getByRole('button', { name: 'Deutsch' }).click();
  await shared.getByText(symptomText('dns-lookup', 'de').title).first().waitFor();
  await dev.screenshot('message-action-shared', { fullPage: true });
});

test("the action works on the bot's own card message too (its text is read from the card)", async () => {
  const t = translator('en');
  const botCard = page.locator('.message.bot').nth(1);
  await chooseAction(botCard, 'en');
  expect(await dialog().innerText()).toContain(symptomText('dns-lookup', 'en').title);
  expect(invokes.at(-1)?.value).toMatchObject({
    messagePayload: { body: { content: expect.stringContaining('<attachment') as unknown } },
  });
  await dialog()
    .getByRole('button', { name: t('bot:dev.close') })
    .click();
});

test('a message with no error: the honest card, and nothing to share', async () => {
  const t = translator('en');
  await page.fill('#input', 'lunch at 12?');
  await page.press('#input', 'Enter');
  await page.locator('.message.bot').last().getByText(t('catalogue:unrecognized.title')).first().waitFor();
  await chooseAction(page.locator('.message.user').last(), 'en');
  expect(await dialog().innerText()).toContain(t('catalogue:unrecognized.title'));
  await expect(
    dialog()
      .getByRole('button', { name: t('message-action:share') })
      .count(),
  ).resolves.toBe(0);
  await page.keyboard.press('Escape');
});

test('nothing was fetched from outside the bot', () => {
  expect(dev.outside).toEqual([]);
});
