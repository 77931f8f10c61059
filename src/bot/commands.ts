import { namedRegions, parseRegistry } from '../target';
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

/** Every chat command, registered by listing. Matching is case-insensitive; a leading `/` is optional. */
export const commands: readonly Command[] = [
  {
    name: 'acrcheck',
    aliases: [],
    usage: 'acrcheck <registry> [region …]',
    takesArgs: true,
    probes: true,
    run: ([registry = '', ...rest]) => {
      const regions = namedRegions(rest, maxRegions);
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
