/** The local chat page in Debian's Chromium, headless, as every browser test opens it. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { packageRoot } from '../../src/paths';
import type { TestBot } from '../http/harness';

/** Where the tests' screenshots go. */
export const artifacts = join(packageRoot(), 'artifacts');

/** The chat page of a test bot, open in its own browser. */
export interface DevPage {
  page: Page;
  /** What the page tried to fetch from anywhere but the bot: refused, and must stay empty. */
  outside: string[];
  /** The bot's messages, oldest first. */
  botMessages(): Locator;
  /** Types `text` and presses Enter; resolves with the bot's reply once its card is drawn. */
  send(text: string): Promise<Locator>;
  /** Saves `artifacts/<name>.png`. */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Launches Chromium (`/usr/bin/chromium`, headless, no sandbox, no GPU, no background networking), opens the
 * bot's `/dev` page and waits for its first card (the welcome). Every request that does not go to the bot is
 * refused and remembered, so the page is proven to work with no network.
 */
export async function openDevPage(
  bot: TestBot,
  viewport: { width: number; height: number },
): Promise<DevPage> {
  mkdirSync(artifacts, { recursive: true });
  const browser: Browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const outside: string[] = [];
  const page = await browser.newPage({ viewport });
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(bot.url)) return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${bot.url}/dev`);
  const botMessages = (): Locator => page.locator('.message.bot');
  await botMessages().first().locator('.ac-adaptiveCard').first().waitFor();
  return {
    page,
    outside,
    botMessages,
    async send(text) {
      const before = await botMessages().count();
      await page.fill('#input', text);
      await page.press('#input', 'Enter');
      const reply = botMessages().nth(before);
      await reply.locator('.ac-adaptiveCard').first().waitFor();
      return reply;
    },
    async screenshot(name, options = {}) {
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: options.fullPage ?? false });
    },
    close: () => browser.close(),
  };
}
