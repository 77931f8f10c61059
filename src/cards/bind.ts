import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Template } from 'adaptivecards-templating';

import type { Link, Step } from '../advice';
import { packageRoot } from '../paths';

/** An Adaptive Card as sent to Teams (schema 1.5). */
export interface Card {
  type: 'AdaptiveCard';
  version: string;
  body: Record<string, unknown>[];
  [key: string]: unknown;
}

/** A card button: an `Action.Execute` with this verb and data, and an `Action.Submit` fallback carrying the same data. */
export interface Button {
  title: string;
  verb: string;
  /** Sent back verbatim; always holds `verb` too, so the `Action.Submit` fallback names its action. */
  data: Record<string, unknown>;
}

/** Every template in `cards/`, by file name. */
export const templateNames = [
  'diagnosis',
  'not-network',
  'unrecognized',
  'registry',
  'help',
  'error',
  'dialog',
  'probe',
] as const;
export type TemplateName = (typeof templateNames)[number];

const templates = new Map<TemplateName, Template>();

/** The parsed template `cards/<name>.json`, read once. */
function template(name: TemplateName): Template {
  let found = templates.get(name);
  if (!found) {
    const json = JSON.parse(readFileSync(join(packageRoot(), 'cards', `${name}.json`), 'utf8')) as object;
    found = new Template(json);
    templates.set(name, found);
  }
  return found;
}

/** Expands `cards/<name>.json` with `data` as `$root`. */
export function bind(name: TemplateName, data: object): Card {
  return template(name).expand({ $root: data }) as Card;
}

// Teams' CodeBlock languages (a fixed list); a first word from here marks a shell command.
const shellCommands = new Set([
  'az',
  'docker',
  'kubectl',
  'curl',
  'nslookup',
  'dig',
  'openssl',
  'sudo',
  'export',
  'nc',
]);

/** A step as the templates show it: numbered text and its commands as one copyable block. */
export interface StepView {
  text: string;
  code: string;
  language: 'Bash' | 'PlainText';
  hasCode: boolean;
}

/**
 * Numbers steps (or, with `marker: 'bullet'`, lists them) and joins each one's commands into the monospace block a
 * user copies. A step of commands alone has no line of text.
 */
export function stepViews(steps: readonly Step[], marker: 'number' | 'bullet' = 'number'): StepView[] {
  return steps.map((step, i) => {
    const code = step.commands.join('\n');
    const first = code.trimStart().split(/\s/, 1)[0] ?? '';
    return {
      text: step.text && (marker === 'number' ? `${i + 1}. ${step.text}` : `- ${step.text}`),
      code,
      language: shellCommands.has(first) ? 'Bash' : 'PlainText',
      hasCode: code.length > 0,
    };
  });
}

/** Links as one Markdown list (Teams renders `[title](url)` and `- ` items in a TextBlock). */
export function linkList(links: readonly Link[]): string {
  return links
    .map((l) => `- [${l.title.replace(/[[\]]/g, '')}](${l.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`)
    .join('\n');
}

/** Buttons as the templates show them: title, verb and the data both actions carry. */
export function buttonViews(buttons: readonly Button[]): Button[] {
  return buttons.map((b) => ({ title: b.title, verb: b.verb, data: { ...b.data, verb: b.verb } }));
}
