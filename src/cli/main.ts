import { isAcrcheckError } from '../errors';
import { packageVersion } from '../paths';
import { diagnoseCommand } from './diagnose';
import { isBrokenPipe, write, type CliIo, type Command } from './io';
import { postResultCommand } from './post-result';
import { probeCommand } from './probe';
import { runnerCommand } from './runner';

/** Every subcommand, registered by listing. */
export const commands: Record<string, Command> = {
  diagnose: diagnoseCommand,
  probe: probeCommand,
  runner: runnerCommand,
  'post-result': postResultCommand,
};

/** `--help` or `-h` among a command's arguments, before any `--` that ends the options. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function usage(): string {
  const lines = Object.values(commands).flatMap((c) => c.usage);
  return `usage:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/**
 * Runs one `acrcheck` invocation. Exit status: 0 whatever the verdict; 2 for bad usage or a refused
 * target, with a one-line reason on standard error (CONTRACT.md §2).
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await write(name ? io.stdout : io.stderr, usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    await write(io.stdout, `${packageVersion()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    await write(io.stderr, `acrcheck: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    await write(io.stdout, `usage:\n${command.usage.map((l) => `  ${l}`).join('\n')}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // Whoever read the output stopped reading: nothing is left to tell them.
    if (isBrokenPipe(err)) return 0;
    if (isAcrcheckError(err)) {
      await write(io.stderr, `acrcheck ${name}: ${err.message.split('\n').join(' ')}\n`);
      return 2;
    }
    throw err;
  }
}
