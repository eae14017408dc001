#!/usr/bin/env bun
// The CLI's entry: finds the command the line names (serve when none), parses the line with that
// command's own flags, runs it, and prints any error as one line. The commands live with their
// rooms (server/command.ts is `serve`, doctor/, simulate/, outbound/ `call`, store/ `calls` and
// `migrate`) or, with no room of their own, in src/cli/ (`check`, `schema`; cli/commands.ts lists
// them all); nothing else lives here.
import pkg from '../package.json' with { type: 'json' };
import { UsageError, type Exit } from './cli/command.ts';
import { parseCommandLine } from './cli/command-line.ts';
import { COMMANDS, IMPLICIT_COMMAND } from './cli/commands.ts';
import { commandHelp, overview } from './cli/help.ts';
import { ConfigErrors } from './config/index.ts';
import { Environment, type Env } from './server/settings.ts';

const env = process.env as Env;

async function main(argv: string[]): Promise<Exit> {
  const line = parseCommandLine(argv, COMMANDS, IMPLICIT_COMMAND);
  if (line.kind === 'version') return void process.stdout.write(`${pkg.version}\n`), 0;
  if (line.kind === 'help') {
    process.stdout.write(line.command ? commandHelp(line.command) : overview(COMMANDS, pkg.version, IMPLICIT_COMMAND));
    return 0;
  }
  return line.command.run({ flags: line.flags, args: line.args, env });
}

try {
  const exit = await main(Bun.argv.slice(2));
  if (exit !== 'serving') process.exit(exit);
} catch (error) {
  if (error instanceof ConfigErrors) {
    process.stderr.write(`${error.format()}\n${error.errors.length} error(s); fix them and run again.\n`);
  } else {
    // One line a user can act on; the stack only for whoever asks for it.
    const message = error instanceof Error ? error.message : String(error);
    const who = error instanceof UsageError && error.command ? `switchboard ${error.command}` : 'switchboard';
    const stack = new Environment(env).debugging() && error instanceof Error ? `\n${error.stack}` : '';
    process.stderr.write(`${who}: ${message.split('\n')[0]}${stack}\n`);
  }
  process.exit(1);
}
