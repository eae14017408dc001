// Every command of the CLI, in the order --help lists them, and the one run when none is named.
// Each is declared where its code lives; this list is the only place that gathers them.
import { doctorCommand } from '../doctor/command.ts';
import { callCommand } from '../outbound/command.ts';
import { serveCommand } from '../server/command.ts';
import { simulateCommand } from '../simulate/command.ts';
import { callsCommand, migrateCommand } from '../store/command.ts';
import { checkCommand } from './check.ts';
import type { Command } from './command.ts';
import { schemaCommand } from './schema.ts';

export const COMMANDS: readonly Command[] = [serveCommand, checkCommand, doctorCommand, callsCommand, migrateCommand, schemaCommand, simulateCommand, callCommand];

/** What `switchboard` alone, or with only flags, runs. */
export const IMPLICIT_COMMAND = 'serve';
