import type { Locator } from 'playwright-core';

import { translator } from '../../src/i18n';
import { live, startLiveWorld, type LiveWorld } from '../bot/probe-world';
import { startTestBot, type TestBot } from '../http/harness';
import { testSecret } from '../runners/helpers';
import { openDevPage, type DevPage } from './browser';

const t = translator('en');

let world: LiveWorld;
let bot: TestBot;
let dev: DevPage;

beforeAll(async () => {
  world = await startLiveWorld();
  const vnet = await world.service('vnet-prod-01', world.denied);
  // The page's probes run in the bot: its own host, a runner service behind a denying firewall, and a runner that
  // never answers (so the card is seen pending before it fills in).
  bot = await startTestBot(
    '127.61.0.1',
    {
      ...world.probeEnv(world.healthy),
      ACRCHECK_LOCAL_RUNNER: 'true',
      ACRCHECK_RUNNER_SECRET: testSecret,
      ACRCHECK_RUNNERS: `vnet-prod=${vnet.url},slow=${await world.silent()}`,
    },
    { dev: true },
  );
  dev = await openDevPage(bot, { width: 1000, height: 1400 });
}, 60_000);

afterAll(async () => {
  await dev?.close();
  await bot?.close();
  await world?.close();
});

const botMessages = (): Locator => dev.botMessages();
const send = (text: string): Promise<Locator> => dev.send(text);

test('/acrcheck <registry>: the card shows every runner probing, then fills in place as each reports', async () => {
  const card = await send(`/acrcheck ${live.name}`);
  await card.getByText(t('probe-card:heading')).waitFor();
  await card.getByText(t('runners:pending', { runner: 'slow' })).waitFor();
  await dev.screenshot('probe-page-pending', { fullPage: true });

  // The same message fills in: local and vnet-prod report first, the silent runner times out last.
  await card
    .getByText(
      t('comparisons:denied-vs-allowed', {
        a: 'vnet-prod',
        b: 'local',
        clientIp: live.deniedIp,
        host: live.login,
      }),
    )
    .waitFor();
  await card.getByText(t('runners:error.timeout', { runner: 'slow' })).waitFor({ timeout: 15_000 });
  const text = await card.innerText();
  expect(text).toContain(t('probe:verdict.healthy'));
  expect(text).toContain(t('probe:verdict.unhealthy'));
  expect(text).toContain(t('probe-card:runner.reportsAs', { name: 'vnet-prod-01' }));
  await card.getByRole('button', { name: t('probe-card:buttons.checks') }).click();
  await card.getByText(`${live.login}`).first().waitFor();
  await dev.screenshot('probe-page-final', { fullPage: true });
  await expect(botMessages().count()).resolves.toBe(2);
}, 30_000);

test('"Run a live probe" on a diagnosis card keeps the diagnosis and fills in a probe card of its own below it', async () => {
  const diagnosis = await send(`dial tcp: lookup ${live.login} on 10.0.0.10:53: no such host`);
  const before = await botMessages().count();
  await diagnosis.getByRole('button', { name: t('probe-card:buttons.run') }).click();
  const probe = botMessages().nth(before);
  await probe.getByText(t('probe-card:heading')).waitFor();
  await probe.getByText(t('runners:error.timeout', { runner: 'slow' })).waitFor({ timeout: 15_000 });
  await probe.getByRole('button', { name: t('probe-card:buttons.rerun') }).waitFor();
  // The pasted error's diagnosis is still there to read, above the probe.
  await diagnosis.getByText(t('cards:diagnosis.evidence')).waitFor();
  await expect(botMessages().count()).resolves.toBe(before + 1);
  await dev.screenshot('probe-page-button', { fullPage: true });
}, 30_000);

test('"Show the fix" posts the fix for the top cause as a new message', async () => {
  const card = botMessages().last();
  const before = await botMessages().count();
  await card.getByRole('button', { name: t('probe-card:buttons.fix') }).click();
  await botMessages().nth(before).locator('.ac-adaptiveCard').first().waitFor();
  const fix = await botMessages().last().innerText();
  expect(fix).toContain(`--ip-address ${live.deniedIp}`);
});

test('nothing was fetched from outside the bot', () => {
  expect(dev.outside).toEqual([]);
});
