import { causeText, symptomText } from '../../src/advice';
import { translator } from '../../src/i18n';
import { testSecret, until } from '../runners/helpers';
import {
  startConnector,
  startTestBot,
  turn,
  type ConnectorCall,
  type RecordingConnector,
  type TestBot,
} from '../http/harness';
import { buttonsOf, cardOf, cardProblems, codeOf, shareButtonOf, textOf, type Json } from './cards';
import { comparisonsOf, headlineOf, statesOf } from './probe-helpers';
import { live, startLiveWorld, type LiveWorld, type Service } from './probe-world';
import { actionValue, cardMessage, execute, message, messageAction, messagePayload, submit } from './teams';

const t = translator('en');
const pending = t('probe-card:state.pending');
const healthy = t('probe:verdict.healthy');
const unhealthy = t('probe:verdict.unhealthy');

let world: LiveWorld;
let connector: RecordingConnector;
/** local and vnet-a see the healthy registry; vnet-b's DNS leads to one whose firewall denies it. */
let bot: TestBot;
let vnetA: Service;
let vnetB: Service;
/** local (healthy), a runner that is down, one that never answers, and one that answers garbage. */
let flaky: TestBot;

beforeAll(async () => {
  world = await startLiveWorld();
  connector = await startConnector('127.58.0.2');
  vnetA = await world.service('vnet-a-runner', world.healthy);
  vnetB = await world.service('vnet-b-runner', world.denied);
  bot = await startTestBot('127.58.0.1', {
    ...world.probeEnv(world.healthy),
    ACRCHECK_LOCAL_RUNNER: 'true',
    ACRCHECK_RUNNER_SECRET: testSecret,
    ACRCHECK_RUNNERS: `vnet-a=${vnetA.url},vnet-b=${vnetB.url}`,
  });
  flaky = await startTestBot('127.58.0.3', {
    ...world.probeEnv(world.healthy),
    ACRCHECK_LOCAL_RUNNER: 'true',
    ACRCHECK_RUNNER_SECRET: testSecret,
    ACRCHECK_RUNNERS: `down=${await world.down()},slow=${await world.silent()},odd=${await world.garbage()}`,
  });
}, 60_000);

afterAll(async () => {
  await bot?.close();
  await flaky?.close();
  await connector?.close();
  await world?.close();
});

/** Sends an activity; returns the HTTP answer and what the connector had received when it came. */
const send = (to: TestBot, activity: Json) => turn(to, connector, activity);

const conversationOf = (activity: Json): string => (activity.conversation as { id: string }).id;
const isDone = (card: Json | null): boolean => buttonsOf(card).some((b) => b.verb === 'probe.run');

/** Updates (PUT) of one card, in the order they arrived. */
function updatesOf(activity: Json, cardId: string): Json[] {
  const path = `/v3/conversations/${conversationOf(activity)}/activities/${cardId}`;
  return connector.calls
    .filter((c) => c.method === 'PUT' && c.path === path)
    .map((c) => cardOf(c.body) as Json);
}

/** Waits for the update that shows every runner's result, and returns it. */
async function finalCard(activity: Json, cardId: string): Promise<Json> {
  await until(() => updatesOf(activity, cardId).some(isDone), 20_000);
  const final = updatesOf(activity, cardId).find(isDone) as Json;
  expect(cardProblems(final)).toEqual([]);
  return final;
}

/** The card id the connector gave the bot's reply to `activity` (its ResourceResponse). */
function replyId(activity: Json, calls: ConnectorCall[]): string {
  const reply = calls.find(
    (c) => c.method === 'POST' && c.path.endsWith(`/activities/${String(activity.id)}`),
  );
  return reply?.id ?? '';
}

const jobs = (): number[] => [vnetA.jobs(), vnetB.jobs()];

describe('/acrcheck <registry> with three runners', () => {
  let activity: Json;
  let cardId: string;
  let final: Json;

  beforeAll(async () => {
    activity = message(connector.serviceUrl, `/acrcheck ${live.name}`);
    const { status, calls } = await send(bot, activity);
    expect(status).toBe(200);
    // The turn answered with the card and did not wait: no update had been sent when it returned.
    expect(calls.map((c) => c.method)).toEqual(['POST']);
    const card = cardOf(calls[0]?.body) as Json;
    expect(statesOf(card)).toEqual({ local: pending, 'vnet-a': pending, 'vnet-b': pending });
    expect(headlineOf(card)).toBe(t('probe-card:status.running', { done: 0, count: 3 }));
    cardId = replyId(activity, calls);
    final = await finalCard(activity, cardId);
  }, 30_000);

  test('the same card fills in: each runner with its verdict, what the denied one saw, and why they differ', () => {
    expect(statesOf(final)).toEqual({ local: healthy, 'vnet-a': healthy, 'vnet-b': unhealthy });
    const text = textOf(final);
    expect(text).toContain(
      t('probe-card:runner.cause', { cause: causeText('registry-public-access', 'en').title }),
    );
    expect(text).toContain(t('probe-card:runner.reportsAs', { name: 'vnet-b-runner' }));
    expect(text).toContain(`${live.login} answers the registry challenge`);
    expect(comparisonsOf(final).join('\n')).toContain(
      t('comparisons:denied-vs-allowed', {
        a: 'vnet-b',
        b: 'local',
        clientIp: live.deniedIp,
        host: live.login,
      }),
    );
    expect(headlineOf(final)).toBe(
      [
        t('probe-card:status.healthy', { runners: 'local, vnet-a' }),
        t('probe-card:status.unhealthy', { runners: 'vnet-b' }),
      ].join(' · '),
    );
  });

  test('every update went to the card the bot sent, and no older state came after a newer one', () => {
    const updates = updatesOf(activity, cardId);
    const reported = updates.map((c) => Object.values(statesOf(c)).filter((s) => s !== pending).length);
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
    expect(reported.at(-1)).toBe(3);
    expect(updates.filter(isDone)).toHaveLength(1);
    expect(jobs()).toEqual([1, 1]);
  });

  test('"Show the fix" posts the fix for the registry firewall, with the address it denied', async () => {
    const fix = buttonsOf(final).find((b) => b.title === t('probe-card:buttons.fix'));
    const { status, body, calls } = await send(
      bot,
      execute(connector.serviceUrl, fix!, cardId, { conversation: conversationOf(activity).slice(2) }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ statusCode: 200, value: t('bot:sent') });
    const card = cardOf(calls[0]?.body) as Json;
    expect(textOf(card)).toContain(symptomText('ip-denied', 'en').title);
    expect(textOf(card)).toContain(causeText('registry-public-access', 'en').title);
    expect(codeOf(card).join('\n')).toContain(`--ip-address ${live.deniedIp}`);
  });

  test('"Probe again" turns the same card pending and fills it in again', async () => {
    const again = buttonsOf(final).find((b) => b.verb === 'probe.run');
    const before = updatesOf(activity, cardId).length;
    const click = execute(connector.serviceUrl, again!, cardId, {
      conversation: conversationOf(activity).slice(2),
    });
    const { status, body } = await send(bot, click);
    expect(status).toBe(200);
    expect(statesOf(body.value)).toEqual({ local: pending, 'vnet-a': pending, 'vnet-b': pending });
    await until(() => updatesOf(activity, cardId).slice(before).some(isDone), 20_000);
    expect(jobs()).toEqual([2, 2]);
  });
});

test('runners that are down, never answer or answer garbage are marked on the card; the bot host still reports', async () => {
  const activity = message(connector.serviceUrl, `acrcheck ${live.login}`, {
    kind: 'channel',
    mention: true,
  });
  const { calls } = await send(flaky, activity);
  const cardId = replyId(activity, calls);
  const final = await finalCard(activity, cardId);
  expect(statesOf(final)).toEqual({
    local: healthy,
    down: t('probe-card:state.down'),
    slow: t('probe-card:state.timeout'),
    odd: t('probe-card:state.garbage'),
  });
  const text = textOf(final);
  expect(text).toContain(t('runners:error.down', { runner: 'down' }));
  expect(text).toContain(t('runners:error.timeout', { runner: 'slow' }));
  expect(text).toContain(t('runners:error.garbage', { runner: 'odd' }));
  // The runner that is down is known at once; the card said so before the slow one timed out.
  const updates = updatesOf(activity, cardId);
  expect(
    updates.some((c) => statesOf(c).down === t('probe-card:state.down') && statesOf(c).slow === pending),
  ).toBe(true);
}, 30_000);

describe('the "Run a live probe" button', () => {
  test('on a diagnosis card that names the registry: the diagnosis stays, the probe gets a card of its own in the card’s language, which fills in', async () => {
    const conversation = 'button-diagnosis';
    const paste = message(
      connector.serviceUrl,
      `Error response from daemon: Get "https://${live.login}/v2/": dial tcp: lookup ${live.login} on 10.0.0.10:53: no such host`,
      { conversation },
    );
    const pasted = await send(bot, paste);
    const diagnosis = cardOf(pasted.calls[0]?.body) as Json;
    // The user reads the card in German although Teams is set to English: the probe follows the card.
    const german = buttonsOf(diagnosis).find((b) => b.verb === 'card.translate' && b.data.locale === 'de');
    const cardId = replyId(paste, pasted.calls);
    const translated = await send(bot, execute(connector.serviceUrl, german!, cardId, { conversation }));
    const button = buttonsOf(translated.body.value as Json).find((b) => b.verb === 'probe.run');
    const de = translator('de');
    expect(button?.title).toBe(de('probe-card:buttons.run'));

    const click = execute(connector.serviceUrl, button!, cardId, { conversation });
    const { status, body, calls } = await send(bot, click);
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    const posted = calls.filter((c) => c.method === 'POST');
    expect(posted).toHaveLength(1);
    const pending = cardOf(posted[0]?.body) as Json;
    expect(statesOf(pending)).toEqual({
      local: de('probe-card:state.pending'),
      'vnet-a': de('probe-card:state.pending'),
      'vnet-b': de('probe-card:state.pending'),
    });
    // The diagnosis card was not touched.
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
    const probeCardId = posted[0]?.id ?? '';
    await until(() => updatesOf(click, probeCardId).some(isDone), 20_000);
    const final = updatesOf(click, probeCardId).find(isDone) as Json;
    expect(statesOf(final)).toEqual({
      local: de('probe:verdict.healthy'),
      'vnet-a': de('probe:verdict.healthy'),
      'vnet-b': de('probe:verdict.unhealthy'),
    });
    expect(updatesOf(paste, cardId).filter(isDone)).toEqual([]);
  }, 30_000);

  test('clicked twice: one probe; the second click gets the running card', async () => {
    const conversation = 'double-click';
    const paste = message(connector.serviceUrl, `/acrcheck ${live.name}`, { conversation });
    const seeded = await send(bot, paste);
    const cardId = replyId(paste, seeded.calls);
    const rerun = buttonsOf(await finalCard(paste, cardId)).find((b) => b.verb === 'probe.run');
    const before = { jobs: jobs(), updates: updatesOf(paste, cardId).length };
    const first = execute(connector.serviceUrl, rerun!, cardId, { conversation });
    const second = execute(connector.serviceUrl, rerun!, cardId, { conversation });
    const [a, b] = await Promise.all([send(bot, first), send(bot, second)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const answer of [a, b]) {
      expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(Object.keys(statesOf(answer.body.value))).toEqual(['local', 'vnet-a', 'vnet-b']);
    }
    await until(() => updatesOf(paste, cardId).slice(before.updates).some(isDone), 20_000);
    expect(jobs()).toEqual(before.jobs.map((n) => n + 1));
  }, 30_000);

  test('a message Teams delivers twice (same activity id): one probe, and a note instead of a second card', async () => {
    const activity = message(connector.serviceUrl, `/acrcheck ${live.name}`, { conversation: 'redelivered' });
    const before = jobs();
    const first = await send(bot, activity);
    const second = await send(bot, activity);
    expect(first.calls.map((c) => cardOf(c.body) !== null)).toEqual([true]);
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0]?.body.text).toBe(t('probe-card:note.running', { registry: live.login }));
    await finalCard(activity, replyId(activity, first.calls));
    expect(jobs()).toEqual(before.map((n) => n + 1));
  }, 30_000);

  test.each<[string, Json]>([
    ['a host that is not an Azure registry', { registry: 'registry.contoso.example', regions: [] }],
    ['an IP address', { registry: '127.58.0.9', regions: [] }],
    ['a port', { registry: `${live.login}:8443`, regions: [] }],
    ['userinfo', { registry: `user@${live.login}`, regions: [] }],
    ['a region that is not one', { registry: live.login, regions: ['west europe'] }],
    ['an extra field', { registry: live.login, regions: [], dnsServers: ['127.58.0.9:53'] }],
    ['no registry', { regions: [] }],
  ])('tampered data (%s) → the error card, HTTP 200, and nothing is probed', async (_name, data) => {
    const before = { queries: world.queries(), jobs: jobs() };
    const conversation = `tampered-${_name.replace(/\W+/g, '-')}`;
    const click = execute(
      connector.serviceUrl,
      { verb: 'probe.run', data: { verb: 'probe.run', ...data } },
      'card-x',
      {
        conversation,
      },
    );
    const { status, body } = await send(bot, click);
    expect(status).toBe(200);
    expect(textOf(body.value)).toContain(t('cards:error.bad-action.title'));
    // The Action.Submit fallback is refused the same way, on the card it was clicked on.
    const fallback = await send(
      bot,
      submit(connector.serviceUrl, { verb: 'probe.run', ...data }, 'card-y', { conversation }),
    );
    expect(fallback.calls.map((c) => c.method)).toEqual(['PUT']);
    expect(textOf(cardOf(fallback.calls[0]?.body))).toContain(t('cards:error.bad-action.title'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect({ queries: world.queries(), jobs: jobs() }).toEqual(before);
  });
});

describe('"Run a live probe" on a card the bot did not send: a new probe card, updated in place', () => {
  /**
   * Clicks `button` on the message `messageId`: the invoke answers at once that a card was sent, the bot posted
   * the pending probe card as a new message, and every update went to that message, none to the clicked one.
   */
  async function probeFrom(
    to: TestBot,
    button: { verb: string; data: Json },
    messageId: string,
    conversation: string,
  ): Promise<{ posted: Json; final: Json }> {
    const click = execute(connector.serviceUrl, button, messageId, { conversation });
    const { status, body, calls } = await send(to, click);
    expect(status).toBe(200);
    expect(body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: t('bot:sent'),
    });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${conversationOf(click)}/activities/${String(click.id)}`,
    ]);
    const posted = cardOf(calls[0]?.body) as Json;
    const final = await finalCard(click, calls[0]?.id ?? '');
    expect(updatesOf(click, messageId)).toEqual([]);
    return { posted, final };
  }

  test('the diagnosis card a user shared through "Diagnose with acrcheck" and sent from their message box', async () => {
    const conversation = 'shared-card';
    const html = `<p>Error response from daemon: Get &quot;https://${live.login}/v2/&quot;: dial tcp: lookup ${live.login} on 10.0.0.10:53: no such host</p>`;
    const fetched = await send(
      bot,
      messageAction(connector.serviceUrl, 'fetchTask', actionValue(messagePayload(html)), { conversation }),
    );
    const dialog = (((fetched.body.task as Json).value as Json).card as Json).content;
    const data = shareButtonOf(dialog)?.data;
    const shared = await send(
      bot,
      messageAction(connector.serviceUrl, 'submitAction', actionValue(null, { data }), { conversation }),
    );
    const card = (shared.body.composeExtension as { attachments: Json[] }).attachments[0]?.content as Json;
    // The user sends it: the message is theirs, with its own id; the bot does not answer a card on its own.
    const sent = cardMessage(connector.serviceUrl, card, { conversation });
    expect((await send(bot, sent)).calls).toEqual([]);

    const button = buttonsOf(card).find((b) => b.verb === 'probe.run');
    expect(button?.title).toBe(t('probe-card:buttons.run'));
    const { posted, final } = await probeFrom(bot, button!, String(sent.id), conversation);
    expect(statesOf(posted)).toEqual({ local: pending, 'vnet-a': pending, 'vnet-b': pending });
    expect(statesOf(final)).toEqual({ local: healthy, 'vnet-a': healthy, 'vnet-b': unhealthy });
  }, 30_000);

  test('a card the bot sent before it restarted', async () => {
    const conversation = 'restarted';
    const env = { ...world.probeEnv(world.healthy), ACRCHECK_LOCAL_RUNNER: 'true' };
    const earlier = await startTestBot('127.58.0.4', env);
    const paste = message(
      connector.serviceUrl,
      `Error response from daemon: Get "https://${live.login}/v2/": dial tcp: lookup ${live.login} on 10.0.0.10:53: no such host`,
      { conversation },
    );
    const pasted = await send(earlier, paste);
    await earlier.close();
    const restarted = await startTestBot('127.58.0.4', env);
    try {
      const button = buttonsOf(cardOf(pasted.calls[0]?.body)).find((b) => b.verb === 'probe.run');
      const { posted, final } = await probeFrom(
        restarted,
        button!,
        replyId(paste, pasted.calls),
        conversation,
      );
      expect(statesOf(posted)).toEqual({ local: pending });
      expect(statesOf(final)).toEqual({ local: healthy });
    } finally {
      await restarted.close();
    }
  }, 30_000);
});

test('"Deutsch" on a running probe: the card now, and the updates to come, in German', async () => {
  const activity = message(connector.serviceUrl, `/acrcheck ${live.name}`, { conversation: 'german' });
  const { calls } = await send(flaky, activity);
  const cardId = replyId(activity, calls);
  const card = cardOf(calls[0]?.body) as Json;
  const german = buttonsOf(card).find((b) => b.verb === 'probe.show' && b.data.locale === 'de');
  const { body } = await send(
    flaky,
    execute(connector.serviceUrl, german!, cardId, { conversation: 'german' }),
  );
  const de = translator('de');
  expect(textOf(body.value)).toContain(de('probe-card:heading'));
  const final = await finalCard(activity, cardId);
  expect(statesOf(final).slow).toBe(de('probe-card:state.timeout'));
  expect(textOf(final)).toContain(de('runners:error.down', { runner: 'down' }));
}, 30_000);
