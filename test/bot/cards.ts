/** Reading cards the way a user sees them (their text, code blocks and buttons), and checking them against Teams. */
import * as AC from 'adaptivecards';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from '../../src/paths';

export type Json = Record<string, unknown>;

/** Teams takes bot cards up to 40 KB (then 413); 28 KB also fits webhooks and connectors. At most six actions show. */
export const teamsLimits = { bytes: 28 * 1024, actions: 6 } as const;

/** Every element and action of a card, depth first, with the key it was found under (button data is not walked). */
export function walk(value: unknown, visit: (node: Json, key: string) => void, key = ''): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit, key));
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json, key);
    for (const [k, v] of Object.entries(value)) if (k !== 'data') walk(v, visit, k);
  }
}

function visit(value: unknown, fn: (node: Json) => void): void {
  if (Array.isArray(value)) value.forEach((v) => visit(v, fn));
  else if (typeof value === 'object' && value !== null) {
    fn(value as Json);
    for (const [key, v] of Object.entries(value)) if (key !== 'data' && key !== 'fallback') visit(v, fn);
  }
}

/** The Adaptive Card in an activity (a connector call's body), or null. */
export function cardOf(activity: unknown): Json | null {
  const attachments =
    (activity as { attachments?: { contentType?: string; content?: Json }[] }).attachments ?? [];
  return (
    attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content ?? null
  );
}

/** Every text a user reads on the card: text blocks, text runs, code blocks, choices and button titles. */
export function textOf(card: unknown): string {
  const parts: string[] = [];
  visit(card, (node) => {
    for (const key of ['text', 'codeSnippet', 'title', 'label'])
      if (typeof node[key] === 'string') parts.push(node[key] as string);
  });
  return parts.join('\n');
}

/** The copyable code blocks of a card. */
export function codeOf(card: unknown): string[] {
  const blocks: string[] = [];
  visit(card, (node) => {
    if (node.type === 'CodeBlock') blocks.push(String(node.codeSnippet));
  });
  return blocks;
}

/** The card's `Action.Execute` buttons. */
export function buttonsOf(card: unknown): { title: string; verb: string; data: Json }[] {
  const buttons: { title: string; verb: string; data: Json }[] = [];
  visit(card, (node) => {
    if (node.type === 'Action.Execute')
      buttons.push({ title: String(node.title), verb: String(node.verb), data: node.data as Json });
  });
  return buttons;
}

/** Every action of a card (buttons, toggles, submits), depth first, except the fallbacks of `Action.Execute`. */
export function actionsOf(card: unknown): Json[] {
  const found: Json[] = [];
  walk(card, (node, key) => {
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && key !== 'fallback')
      found.push(node);
  });
  return found;
}

/** The card's first `Action.Submit` that is no fallback (the dialog's share button), or null. */
export function shareButtonOf(card: unknown): { title: string; data: Json } | null {
  const button = actionsOf(card).find((a) => a.type === 'Action.Submit');
  return button ? { title: String(button.title), data: button.data as Json } : null;
}

/** Every string anywhere in a value (button data included). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * Problems the official renderer reports, parsing for schema 1.5 (with `hostConfig` when given). Teams' CodeBlock
 * is unknown to it and has a fallback.
 */
export function rendererProblems(card: unknown, hostConfig?: AC.HostConfig): string[] {
  const adaptive = new AC.AdaptiveCard();
  if (hostConfig) adaptive.hostConfig = hostConfig;
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  adaptive.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    if (event.event === AC.ValidationEvent.UnknownElementType && event.message.includes('"CodeBlock"'))
      continue;
    problems.push(event.message);
  }
  return [...problems, ...adaptive.validateProperties().validationEvents.map((e) => e.message)];
}

// Teams' own host config (what the local chat page renders with): six actions at most, for instance.
let hostConfig: AC.HostConfig | undefined;
function teamsHostConfig(): AC.HostConfig {
  hostConfig ??= new AC.HostConfig(
    JSON.parse(
      readFileSync(join(packageRoot(), 'src', 'dev', 'public', 'host-config.json'), 'utf8'),
    ) as object,
  );
  return hostConfig;
}

const htmlTag =
  /<\/?(a|b|i|u|p|br|hr|div|span|strong|em|code|pre|ul|ol|li|table|tr|td|th|img|h[1-6]|at|font|script|style)\b[^>]*>/i;

/**
 * What would keep Teams (or a phone) from showing the card as meant; empty when nothing: its size and version,
 * unbound template expressions, the renderer's complaints, HTML (Teams shows it as text), duplicate ids, toggles
 * without a target, too many actions, a CodeBlock without a fallback, and an `Action.Execute` whose verb is not
 * `noun.verb`, whose data names another verb or that lacks the `Action.Submit` fallback with the same data.
 */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(card);
  if (Buffer.byteLength(json) >= teamsLimits.bytes) problems.push(`${Buffer.byteLength(json)} bytes`);
  if (json.includes('${')) problems.push('an unbound template expression');
  if ((card as Json).version !== '1.5') problems.push(`version ${String((card as Json).version)}`);
  problems.push(...rendererProblems(card, teamsHostConfig()));
  for (const html of stringsOf(card).filter((text) => htmlTag.test(text))) problems.push(`HTML: ${html}`);
  const ids: string[] = [];
  const targets: string[] = [];
  let actions = 0;
  walk(card, (node, key) => {
    if (typeof node.id === 'string' && key !== 'fallback') ids.push(node.id);
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && key !== 'fallback') actions += 1;
    if (node.type === 'Action.ToggleVisibility') targets.push(...(node.targetElements as string[]));
    if (node.type === 'CodeBlock' && node.fallback === undefined)
      problems.push('a CodeBlock without fallback');
    if (node.type === 'Action.Execute') {
      const data = node.data as Json;
      if (!/^[a-z]+\.[a-z]+$/.test(String(node.verb))) problems.push(`${String(node.verb)}: not noun.verb`);
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
