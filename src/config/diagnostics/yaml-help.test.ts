// The mistakes newcomers make most in agents.yaml, each answered with one line at the line that is
// off. These lines are part of the interface: a change to one is a change a user sees.
import { describe, expect, test } from 'bun:test';
import { ConfigErrors, formatNotice } from './errors.ts';
import { parseConfig } from '../load.ts';

const AGENT = ['agents:', '  desk:', '    instructions: hi'];

function lines(...yaml: string[]): string[] {
  try {
    const { notices } = parseConfig(yaml.join('\n'), 'agents.yaml', { TOKEN: 'secret-value-0123' });
    return notices.map(formatNotice);
  } catch (error) {
    if (error instanceof ConfigErrors) return error.format().split('\n');
    throw error;
  }
}

describe('one clear line for each common YAML mistake', () => {
  test('a tab', () => {
    expect(lines('agents:', '  desk:', '\tinstructions: hi')).toEqual(['agents.yaml:3:1  a tab: YAML indents with spaces; replace the tab with spaces']);
  });

  test('a backslash escape in double quotes', () => {
    expect(lines(...AGENT, 'guardrails:', '  - name: cards', '    deny_regex: "\\d{16}"', '    message: Sorry.')).toEqual([
      "agents.yaml:6:18  \\d is not an escape YAML knows inside double quotes; use single quotes for regexes and backslashes, e.g. '\\d{16}'",
    ]);
  });

  test('an unquoted phone number, as a key and as a value', () => {
    expect(lines('numbers:', '  +15550002222: desk', ...AGENT, 'outbound:', '  from: +15550001111')).toEqual([
      'agents.yaml:2:3  numbers.15550002222: YAML read this as the number 15550002222; quote phone numbers, with their +: "+15550002222"',
      'agents.yaml:7:9  outbound.from: YAML read this as the number 15550001111; quote phone numbers, with their +: "+15550001111"',
    ]);
  });

  test('a quoted number without its + is not blamed on YAML', () => {
    expect(lines('numbers:', '  "5550002222": desk', ...AGENT)).toEqual(['agents.yaml:2:3  numbers.5550002222: must be an E.164 number like +15551234567']);
  });

  test('a missing colon, after a key with a value and after a key that holds a block', () => {
    expect(lines('agents:', '  desk:', '    instructions hi', '    voice: verse')).toEqual([
      'agents.yaml:3:5  missing colon: write "instructions: …" (a key, a colon and a space, then the value)',
    ]);
    expect(lines('agents:', '  desk', '    instructions: hi')).toEqual([
      'agents.yaml:2:3  missing colon: write "desk:" (a key that holds the lines below it ends with a colon)',
    ]);
  });

  test('a misspelt key is named, with the nearest known one, rather than what its absence causes', () => {
    expect(lines(...AGENT, 'guardrails:', '  - name: cards', '    deny_regexp: "x"', '    message: Sorry.')).toEqual([
      'agents.yaml:6:5  guardrails[0].deny_regexp: unknown key "deny_regexp"; did you mean "deny_regex"?',
    ]);
  });

  test('hangup for the built-in hang_up', () => {
    expect(lines(...AGENT, '    tools: [hangup]')).toEqual(['agents.yaml:4:13  agents.desk.tools[0]: unknown tool "hangup"; did you mean "hang_up"? `hang_up` is the built-in']);
  });

  test('$NAME without braces is a labelled warning naming ${NAME}, and the only one at that line', () => {
    const tool = ['tools:', '  orders:', '    description: Orders.', '    http:', '      url: https://orders.example.com/a', '      headers:', '        Authorization: Bearer $TOKEN'];
    expect(lines(...AGENT, ...tool)).toEqual([
      'agents.yaml:10:24  warning: tools.orders.http.headers.Authorization: $TOKEN is sent as written, not read from the environment; write ${TOKEN}',
    ]);
    // Written right, nothing to say; `$$` and prices are not variables.
    expect(lines(...AGENT, ...tool.slice(0, -1), '        Authorization: Bearer ${TOKEN}')).toEqual([]);
    expect(lines('agents:', '  desk:', '    instructions: Tickets cost $20, or $$FREE for members.')).toEqual([]);
  });
});
