import { closest, distance } from 'fastest-levenshtein';

import { regions as knownRegions } from '../catalogue/clouds';
import { AcrcheckError } from '../errors';
import { isKnownRegion, isRegionName, parseRegistry } from '../target';
import type { View } from './views';

/** A chat command: its name, other words that call it, and the view it answers with. */
export interface Command {
  name: string;
  aliases: readonly string[];
  /** How the help card shows it; its description is `cards:help.commands.<name>`. */
  usage: string;
  /** False for commands that take no arguments: `help me with this…` is a paste, not the help command. */
  takesArgs: boolean;
  /** True when, with live probes configured, the registry its view names is probed instead (`/acrcheck`). */
  probes?: boolean;
  /** @throws AcrcheckError for arguments it refuses (the caller shows the error card). */
  run(args: readonly string[]): View;
}

/** At most this many regions are shown on a card (and taken from `acrcheck <registry> <region> …`). */
export const maxRegions = 8;

function refuseRegions(reason: 'regions' | 'region-typo', params: Record<string, string | number>): never {
  const text =
    reason === 'regions'
      ? `at most ${maxRegions} regions`
      : `'${String(params.input)}' is not an Azure region; did you mean ${String(params.suggestion)}?`;
  throw new AcrcheckError('ACRCHECK_NOT_ACR_HOST', text, { reason, ...params });
}

/**
 * The regions a command names, as Azure spells them: `West Europe` and `westeurope,eastus` both work (words are
 * joined when together they name a known region). A misspelt known region is refused with the region meant; a
 * well-formed name we do not know is kept (Azure adds regions).
 *
 * @throws AcrcheckError `ACRCHECK_NOT_ACR_HOST` (reason `regions`, `region-typo`; `region` from `parseRegistry`)
 */
export function commandRegions(words: readonly string[]): string[] {
  const tokens = words.flatMap((w) => w.toLowerCase().split(',')).filter(Boolean);
  const joined = (i: number, n: number): string => tokens.slice(i, i + n).join('');
  const spans = (i: number): number[] => [3, 2, 1].filter((n) => i + n <= tokens.length);
  const base = (name: string): string => name.replace(/\d+$/, '');
  const near = (name: string): string | null => {
    const suggestion = closest(name, [...knownRegions]);
    // `eastus3` may be a region newer than our table, not a slip of `eastus2`.
    if (base(name) === base(suggestion)) return null;
    return isRegionName(name) && distance(name, suggestion) <= 2 ? suggestion : null;
  };
  const named: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const exact = spans(i).find((n) => isKnownRegion(joined(i, n)));
    if (exact === undefined) {
      // A misspelt region, in one word or several (`Germany WestCentrl`): say which one was meant.
      const typo = spans(i).find((n) => near(joined(i, n)) !== null);
      if (typo !== undefined)
        refuseRegions('region-typo', { input: joined(i, typo), suggestion: near(joined(i, typo)) ?? '' });
    }
    named.push(joined(i, exact ?? 1));
    i += exact ?? 1;
  }
  const regions = [...new Set(named)];
  if (regions.length > maxRegions) refuseRegions('regions', { max: maxRegions });
  return regions;
}

/** Every chat command, registered by listing. Matching is case-insensitive; a leading `/` is optional. */
export const commands: readonly Command[] = [
  {
    name: 'acrcheck',
    aliases: [],
    usage: 'acrcheck <registry> [region …]',
    takesArgs: true,
    probes: true,
    run: ([registry = '', ...rest]) => {
      const regions = commandRegions(rest);
      return { view: 'registry', registry: parseRegistry(registry, regions), regions };
    },
  },
  {
    name: 'help',
    aliases: ['hilfe', '說明', '幫助', '?'],
    usage: 'help',
    takesArgs: false,
    run: () => ({ view: 'help', welcome: false }),
  },
];

/** The command a one-line message calls, with its arguments; null when the message is not a command. */
export function findCommand(line: string): { command: Command; args: string[] } | null {
  const [first = '', ...args] = line.trim().split(/\s+/);
  const word = first.replace(/^\//, '').toLowerCase();
  const command = commands.find((c) => c.name === word || c.aliases.includes(word));
  return command && (command.takesArgs || args.length === 0) ? { command, args } : null;
}
