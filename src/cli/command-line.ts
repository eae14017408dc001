// Reading a command line: which command it names (serve when none), then its flags, parsed with
// that command's flags and no other's. Every mistake is a UsageError of one line: an unknown flag
// names the command whose flags were searched, so `switchboard check --wav x` says check has no
// --wav instead of ignoring it.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError, type Command, type Flags, type FlagValues } from './command.ts';

/** What a command line asks for. */
export type CommandLine =
  | { kind: 'run'; command: Command; flags: FlagValues<Flags>; args: string[] }
  /** --help: of one command when it was named, else of the whole CLI. */
  | { kind: 'help'; command?: Command }
  | { kind: 'version' };

/** Every command takes --help; the CLI as a whole (no command named) takes --version too. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
const VERSION = { version: { type: 'boolean', short: 'v' } } as const;

/**
 * `--port -1` would be read as two flags ("ambiguous"); as `--port=-1` its value reaches the check
 * that can say what is wrong with it.
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (/^--[a-z-]+$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * Where the command's name is: the first argument that is not a flag or a flag's value. Usually the
 * first (`switchboard check --config x`); flags may come before it (`switchboard --config x check`),
 * so the flags of every command are known here, to tell a flag's value from a command's name. A flag
 * no command takes is refused here, before any command is chosen.
 */
function commandIndex(args: readonly string[], commands: readonly Command[]): number | undefined {
  const known = new Map<string, 'string' | 'boolean'>([['help', 'boolean'], ['version', 'boolean']]);
  for (const command of commands) for (const [name, flag] of Object.entries(command.flags)) known.set(name, flag.type);
  const shorts = new Set<string>([HELP.help.short, VERSION.version.short]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg === '-') return i;
    const long = /^--([^=]+)(=.*)?$/.exec(arg);
    const unknown = long ? !known.has(long[1]!) : [...arg.slice(1)].some((c) => !shorts.has(c));
    if (unknown) throw new UsageError(`unknown option ${long ? `--${long[1]}` : arg}; see --help`);
    if (long && long[2] === undefined && known.get(long[1]!) === 'string') i++;
  }
  return undefined;
}

/** The parseArgs options of a command's flags (their help text and value names stay behind). */
function parseArgsOptions(flags: Flags): ParseArgsOptionsConfig {
  const options: ParseArgsOptionsConfig = {};
  for (const [name, flag] of Object.entries(flags)) options[name] = flag.multiple ? { type: flag.type, multiple: true } : { type: flag.type };
  return options;
}

/**
 * `argv` (after the program's name) as the command it names, with that command's flags; `implicit`
 * is the command run when none is named (serve).
 */
export function parseCommandLine(argv: readonly string[], commands: readonly Command[], implicit: string): CommandLine {
  const args = joinDashValues(argv);
  const at = commandIndex(args, commands);
  const name = at === undefined ? implicit : args[at]!;
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"; see --help`);
  if (at !== undefined) args.splice(at, 1);
  // Named, mistakes in its flags name it; not named, the line is about the CLI as a whole.
  const named = at !== undefined ? command.name : undefined;
  const see = named ? `see switchboard ${named} --help` : 'see --help';
  const options: ParseArgsOptionsConfig = { ...parseArgsOptions(command.flags), ...HELP, ...(named ? {} : VERSION) };

  // First without strictness, to name an unknown flag ourselves, whatever parseArgs's wording.
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!option) throw new UsageError(`unknown option ${token.rawName}; ${see}`, named);
    if (option.type === 'string' && token.value === undefined) {
      const value = command.flags[token.name]?.value ?? 'VALUE';
      throw new UsageError(`${token.rawName} needs a value (${token.rawName} ${value}); ${see}`, named);
    }
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value; ${see}`, named);
  }
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
  if (values.help) return { kind: 'help', command: named ? command : undefined };
  if (values.version) return { kind: 'version' };
  const extra = positionals[command.maxArgs ?? 0];
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"; see --help`);
  const { help: _help, version: _version, ...flags } = values;
  // Typed by the command's own definition (defineCommand); the list of commands holds them erased.
  return { kind: 'run', command, flags: flags as FlagValues<Flags>, args: positionals };
}
