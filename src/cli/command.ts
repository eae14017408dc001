// What a command of the CLI is: its name, its flags (each with the line --help shows for it), the
// arguments it takes, and what it runs. main.ts parses a command line with the flags of the command
// it names and no other's, so a flag that belongs to another command is refused, not ignored. Each
// room's command.ts declares its command next to its code; src/cli/ holds the few that have no room.
import type { Env } from '../server/settings.ts';

/**
 * A mistake in the command line (an unknown command or flag, a missing or malformed argument): one
 * line saying what to type instead. Mistakes in the environment are SettingsErrors (settings.ts).
 */
export class UsageError extends Error {
  /** The command whose flags the line is about (`switchboard check: …`); unset for the CLI as a whole. */
  readonly command?: string;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

export interface Flag {
  type: 'string' | 'boolean';
  /** May be given more than once; every value is kept, in order. */
  multiple?: true;
  /** How its value is written in the usage line and in --help: FILE, N, URL. */
  value?: string;
  /** What it does, one line for `switchboard COMMAND --help`. */
  about: string;
}

export type Flags = Record<string, Flag>;

type FlagValue<F extends Flag> = F['type'] extends 'boolean' ? boolean : F extends { multiple: true } ? string[] : string;

/** What was typed for each flag; a flag not typed is absent (its default is the command's to apply). */
export type FlagValues<F extends Flags> = { -readonly [K in keyof F]?: FlagValue<F[K]> };

/** A command's run: its flags, its arguments (after the command's name) and the environment. */
export interface Invocation<F extends Flags = Flags> {
  flags: FlagValues<F>;
  args: string[];
  env: Env;
}

/** The exit code, or `serving`: the process keeps running until a signal stops it. */
export type Exit = number | 'serving';

export interface Command<F extends Flags = Flags> {
  name: string;
  /** What it does, a line or two, under its usage line in --help. */
  about: string;
  /** Its arguments as the usage line writes them (`+15551234567`, `[show CA…]`); none when unset. */
  args?: string;
  /** How many arguments it takes at most; one more is refused before it runs. Default 0. */
  maxArgs?: number;
  flags: F;
  run(invocation: Invocation<F>): Promise<Exit>;
}

/**
 * A command with its flags' types checked against what its run reads; the result is the plain
 * Command main.ts keeps in its list (the list holds commands of different flags).
 */
export function defineCommand<const F extends Flags>(command: Command<F>): Command {
  return command as unknown as Command;
}
