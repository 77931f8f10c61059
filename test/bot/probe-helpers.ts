/** Reading probe cards the way a user sees them, and checking them against Teams' limits. */
import * as AC from 'adaptivecards';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Card } from '../../src/cards/bind';
import { packageRoot } from '../../src/paths';
import type { Json } from './cards';

/** Teams takes bot cards up to 40 KB; 28 KB also fits webhooks and connectors. At most six actions show. */
export const teamsLimits = { bytes: 28 * 1024, actions: 6 } as const;

function walk(value: unknown, visit: (node: Json, key: string) => void, key = ''): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit, key));
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json, key);
    for (const [k, v] of Object.entries(value)) if (k !== 'data') walk(v, visit, k);
  }
}

/** Everything a user reads in a part of a card: text blocks, text runs, button titles, fact titles and values. */
export function allText(node: unknown): string {
  const parts: string[] = [];
  walk(node, (n) => {
    for (const key of ['text', 'title', 'value', 'codeSnippet'])
      if (typeof n[key] === 'string') parts.push(n[key] as string);
  });
  return parts.join('\n');
}

// Teams' own host config (what the local chat page renders with): six actions at most, for instance.
const teamsHostConfig = (): AC.HostConfig =>
  new AC.HostConfig(
    JSON.parse(
      readFileSync(join(packageRoot(), 'src', 'dev', 'public', 'host-config.json'), 'utf8'),
    ) as object,
  );

/** What would keep Teams (or a phone) from showing the card as meant; empty when nothing. */
export function cardProblems(card: Card | Json): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  if (Buffer.byteLength(json) >= teamsLimits.bytes) problems.push(`${Buffer.byteLength(json)} bytes`);
  if (json.includes('${')) problems.push('an unbound template expression');
  if (card.version !== '1.5') problems.push(`version ${String(card.version)}`);
  const adaptive = new AC.AdaptiveCard();
  adaptive.hostConfig = teamsHostConfig();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  adaptive.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  problems.push(...adaptive.validateProperties().validationEvents.map((e) => e.message));
  const ids: string[] = [];
  const targets: string[] = [];
  let actions = 0;
  walk(card, (node, key) => {
    if (typeof node.id === 'string' && key !== 'fallback') ids.push(node.id);
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && key !== 'fallback') actions += 1;
    if (node.type === 'Action.ToggleVisibility') targets.push(...(node.targetElements as string[]));
    if (node.type === 'Action.Execute') {
      const data = node.data as Json;
      if (data.verb !== node.verb) problems.push(`${String(node.verb)}: data names another verb`);
      if (
        JSON.stringify(node.fallback) !== JSON.stringify({ type: 'Action.Submit', title: node.title, data })
      )
        problems.push(`${String(node.verb)}: no Action.Submit fallback with the same data`);
    }
  });
  if (actions > teamsLimits.actions) problems.push(`${actions} actions`);
  if (new Set(ids).size !== ids.length) problems.push('duplicate ids');
  for (const target of targets) if (!ids.includes(target)) problems.push(`toggle target ${target} missing`);
  return problems;
}

/** Each runner section of a probe card: its name, its state word and everything it says. */
export function runnerSections(card: unknown): { name: string; state: string; text: string }[] {
  const sections: { name: string; state: string; text: string }[] = [];
  walk(card, (node) => {
    if (node.type !== 'Container' || !Array.isArray(node.items)) return;
    const head = (node.items as Json[])[0];
    if (head?.type !== 'ColumnSet') return;
    const [left, right] = head.columns as Json[];
    const name = String(((left?.items as Json[])[0] as Json).text);
    const state = String(((right?.items as Json[])[0] as Json).text);
    sections.push({ name, state, text: allText(node) });
  });
  return sections;
}

/** A runner's state word on a probe card, by runner name. */
export function statesOf(card: unknown): Record<string, string> {
  return Object.fromEntries(runnerSections(card).map((s) => [s.name, s.state]));
}

/** The probe card's headline (the third text block: heading, registry, headline). */
export function headlineOf(card: unknown): string {
  return String(((card as Json).body as Json[])[2]?.text);
}

/** The sentences of the "what differs" section. */
export function comparisonsOf(card: unknown): string[] {
  const body = (card as Json).body as Json[];
  const section = body.find((n) => n.type === 'Container' && n.style === 'emphasis');
  if (!section) return [];
  return ((section.items as Json[]).slice(1) as Json[]).map((c) => {
    const first = (c.items as Json[])[0] as Json;
    return String(((first.inlines as Json[])[0] as Json).text);
  });
}

/** Every string on the card that Teams reads as Markdown (TextBlock text, FactSet titles and values). */
export function markdownOf(card: unknown): string[] {
  const texts: string[] = [];
  walk(card, (node) => {
    if (node.type === 'TextBlock') texts.push(String(node.text));
    if (node.type === 'FactSet')
      for (const fact of node.facts as Json[]) texts.push(String(fact.title), String(fact.value));
  });
  return texts;
}
