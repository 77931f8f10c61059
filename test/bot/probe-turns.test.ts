import { causeText, symptomText } from '../../src/advice';
import { translator } from '../../src/i18n';
import { testSecret, until } from '../runners/helpers';
import {
  postActivity,
  startConnector,
  startTestBot,
  type ConnectorCall,
  type RecordingConnector,
  type TestBot,
} from '../http/harness';
import { buttonsOf, cardOf, codeOf, textOf, type Json } from './cards';
import { cardProblems, comparisonsOf, headlineOf, statesOf } from './probe-helpers';
import { live, startLiveWorld, type LiveWorld, type Service } from './probe-world';
import { execute, message, submit } from './teams';

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
async function turn(
  to: TestBot,
  activity: Json,
): Promise<{ status: number; body: Json; calls: ConnectorCall[] }> {
  const before = connector.calls.length;
  const { status, body } = await postActivity(to, activity);
  return { status, body: body as Json, calls: connector.calls.slice(before) };
}

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
  const index = connector.calls.indexOf(
    calls.find(
      (c) => c.method === 'POST' && c.path.endsWith(`/activities/${String(activity.id)}`),
    ) as ConnectorCall,
  );
  const ids = connector.calls.slice(0, index + 1).filter((c) => c.method === 'POST').length;
  return `reply-${ids}`;
}

const jobs = (): number[] => [vnetA.jobs(), vnetB.jobs()];

describe('/acrcheck <registry> with three runners', () => {
  let activity: Json;
  let cardId: string;
  let final: Json;

  beforeAll(async () => {
    activity = message(connector.serviceUrl, `/acrcheck ${live.name}`);
    const { status, calls } = await turn(bot, activity);
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
    const { status, body, calls } = await turn(
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
    const { status, body } = await turn(bot, click);
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
  const { calls } = await turn(flaky, activity);
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
  test('on a diagnosis card that names the registry: the invoke answers with the pending card before any runner reports, then the card fills in', async () => {
    const conversation = 'button-diagnosis';
    const paste = message(
      connector.serviceUrl,
      `Error response from daemon: Get "https://${live.login}/v2/": dial tcp: lookup ${live.login} on 10.0.0.10:53: no such host`,
      { conversation },
    );
    const pasted = await turn(bot, paste);
    const diagnosis = cardOf(pasted.calls[0]?.body) as Json;
    const button = buttonsOf(diagnosis).find((b) => b.verb === 'probe.run');
    expect(button?.title).toBe(t('probe-card:buttons.run'));
    const cardId = replyId(paste, pasted.calls);

    const click = execute(connector.serviceUrl, button!, cardId, { conversation });
    const { status, body, calls } = await turn(bot, click);
    expect(status).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(statesOf(body.value)).toEqual({ local: pending, 'vnet-a': pending, 'vnet-b': pending });
    expect(calls).toEqual([]);
    const final = await finalCard(click, cardId);
    expect(statesOf(final)).toEqual({ local: healthy, 'vnet-a': healthy, 'vnet-b': unhealthy });
  }, 30_000);

  test('clicked twice: one probe; the second click gets the running card', async () => {
    const conversation = 'double-click';
    const paste = message(connector.serviceUrl, `/acrcheck ${live.name}`, {
      conversation: 'double-click-seed',
    });
    const seeded = await turn(bot, paste);
    await finalCard(paste, replyId(paste, seeded.calls));
    const before = jobs();
    const rerun = buttonsOf(updatesOf(paste, replyId(paste, seeded.calls)).find(isDone)).find(
      (b) => b.verb === 'probe.run',
    );
    const first = execute(connector.serviceUrl, rerun!, 'card-double', { conversation });
    const second = execute(connector.serviceUrl, rerun!, 'card-double', { conversation });
    const [a, b] = await Promise.all([turn(bot, first), turn(bot, second)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const answer of [a, b]) {
      expect(answer.body.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(Object.keys(statesOf(answer.body.value))).toEqual(['local', 'vnet-a', 'vnet-b']);
    }
    await finalCard(first, 'card-double');
    expect(jobs()).toEqual(before.map((n) => n + 1));
  }, 30_000);

  test('a message Teams delivers twice (same activity id): one probe, and a note instead of a second card', async () => {
    const activity = message(connector.serviceUrl, `/acrcheck ${live.name}`, { conversation: 'redelivered' });
    const before = jobs();
    const first = await turn(bot, activity);
    const second = await turn(bot, activity);
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
    const { status, body } = await turn(bot, click);
    expect(status).toBe(200);
    expect(textOf(body.value)).toContain(t('cards:error.bad-action.title'));
    // The Action.Submit fallback is refused the same way, on the card it was clicked on.
    const fallback = await turn(
      bot,
      submit(connector.serviceUrl, { verb: 'probe.run', ...data }, 'card-y', { conversation }),
    );
    expect(fallback.calls.map((c) => c.method)).toEqual(['PUT']);
    expect(textOf(cardOf(fallback.calls[0]?.body))).toContain(t('cards:error.bad-action.title'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect({ queries: world.queries(), jobs: jobs() }).toEqual(before);
  });
});

test('"Deutsch" on a running probe: the card now, and the updates to come, in German', async () => {
  const activity = message(connector.serviceUrl, `/acrcheck ${live.name}`, { conversation: 'german' });
  const { calls } = await turn(flaky, activity);
  const cardId = replyId(activity, calls);
  const card = cardOf(calls[0]?.body) as Json;
  const german = buttonsOf(card).find((b) => b.verb === 'probe.show' && b.data.locale === 'de');
  const { body } = await turn(
    flaky,
    execute(connector.serviceUrl, german!, cardId, { conversation: 'german' }),
  );
  const de = translator('de');
  expect(textOf(body.value)).toContain(de('probe-card:heading'));
  const final = await finalCard(activity, cardId);
  expect(statesOf(final).slow).toBe(de('probe-card:state.timeout'));
  expect(textOf(final)).toContain(de('runners:error.down', { runner: 'down' }));
}, 30_000);
