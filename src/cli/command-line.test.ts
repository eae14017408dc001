import { describe, expect, test } from 'bun:test';
import { defineCommand, UsageError } from './command.ts';
import { joinDashValues, parseCommandLine } from './command-line.ts';
import { COMMANDS, IMPLICIT_COMMAND } from './commands.ts';

const parse = (...argv: string[]) => parseCommandLine(argv, COMMANDS, IMPLICIT_COMMAND);

/** The UsageError `run` throws, as main.ts prints it. */
function mistake(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return `switchboard${error.command ? ` ${error.command}` : ''}: ${error.message}`;
  }
  throw new Error('no UsageError');
}

describe('each command is parsed with its own flags', () => {
  test('a flag of another command is one line naming the flag and the command, for every command', () => {
    for (const command of COMMANDS) {
      // --wav is simulate's; --port serve's: each command refuses the other's.
      const foreign = command.name === 'simulate' ? '--port' : '--wav';
      expect(mistake(() => parse(command.name, foreign, '1'))).toBe(
        `switchboard ${command.name}: unknown option ${foreign}; see switchboard ${command.name} --help`,
      );
    }
  });

  test('its own flags come through, typed as declared, wherever the command name stands', () => {
    const line = parse('--config', 'x.yaml', 'call', '+15551234567', '--param', 'a=1', '--param', 'b=2');
    expect(line).toMatchObject({ kind: 'run', flags: { config: 'x.yaml', param: ['a=1', 'b=2'] }, args: ['+15551234567'] });
    if (line.kind === 'run') expect(line.command.name).toBe('call');
    expect(parse('check', '--date', '2027-01-01')).toMatchObject({ kind: 'run', flags: { date: '2027-01-01' }, args: [] });
  });

  test('no command named: serve, and a mistake in its flags is about the CLI as a whole', () => {
    const line = parse('--port', '0', '--insecure');
    expect(line).toMatchObject({ kind: 'run', flags: { port: '0', insecure: true } });
    if (line.kind === 'run') expect(line.command.name).toBe('serve');
    expect(mistake(() => parse('--prot', '1'))).toBe('switchboard: unknown option --prot; see --help');
    expect(mistake(() => parse('--wav', 'x'))).toBe('switchboard: unknown option --wav; see --help');
    expect(mistake(() => parse('serv'))).toBe('switchboard: unknown command "serv"; see --help');
  });

  test('a missing value, a value for a switch, and one argument too many are one line each', () => {
    expect(mistake(() => parse('check', '--config'))).toBe('switchboard check: --config needs a value (--config FILE); see switchboard check --help');
    expect(mistake(() => parse('serve', '--insecure=yes'))).toBe('switchboard serve: --insecure takes no value; see switchboard serve --help');
    expect(mistake(() => parse('call', '+15551234567', '+15550001111'))).toBe('switchboard: unexpected argument "+15550001111"; see --help');
    expect(mistake(() => parse('check', 'agents.yaml'))).toBe('switchboard: unexpected argument "agents.yaml"; see --help');
  });

  test('--help is the named command\'s, or the whole CLI\'s; --version only for the whole CLI', () => {
    expect(parse('--help')).toEqual({ kind: 'help', command: undefined });
    const help = parse('doctor', '-h');
    expect(help.kind === 'help' && help.command?.name).toBe('doctor');
    expect(parse('--version')).toEqual({ kind: 'version' });
    expect(mistake(() => parse('check', '--version'))).toBe('switchboard check: unknown option --version; see switchboard check --help');
  });

  test('a command takes only the arguments it declares', () => {
    const one = defineCommand({ name: 'one', about: '', maxArgs: 1, flags: { n: { type: 'string', about: '' } }, run: async () => 0 });
    expect(parseCommandLine(['one', 'a', '--n', 'b'], [one], 'one')).toMatchObject({ kind: 'run', args: ['a'], flags: { n: 'b' } });
    expect(() => parseCommandLine(['one', 'a', 'b'], [one], 'one')).toThrow('unexpected argument "b"; see --help');
  });
});

test('a negative value after a flag is its value (--port -1), for the check that says what is wrong with it', () => {
  expect(joinDashValues(['--port', '-1', '--insecure'])).toEqual(['--port=-1', '--insecure']);
  expect(joinDashValues(['--port', '-x'])).toEqual(['--port', '-x']);
  expect(parse('serve', '--port', '-1')).toMatchObject({ kind: 'run', flags: { port: '-1' } });
});
