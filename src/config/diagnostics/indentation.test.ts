import { describe, expect, test } from 'bun:test';
import { parseDocument } from 'yaml';
import { ConfigErrors } from './errors.ts';
import { indentationMistake } from './indentation.ts';
import { parseConfig } from '../load.ts';

const errors = (...lines: string[]): string[] => {
  try {
    parseConfig([...lines, ''].join('\n'), 'agents.yaml', {});
  } catch (error) {
    if (error instanceof ConfigErrors) return error.format().split('\n');
    throw error;
  }
  throw new Error('expected ConfigErrors');
};

// Each mistake is reported once, at the line that is off (the parser complains a line away,
// several times, in its own terms), saying which column would fit.
describe('indentation mistakes', () => {
  test('a key one space too far in, under a key that has a value', () => {
    expect(errors('agents:', '  greeter:', '    instructions: hi', '     voice: verse', '    say: hello')).toEqual([
      'agents.yaml:4:6  bad indentation: "voice:" is indented more than "instructions:" on line 3, which has a value, so nothing can go under it; start "voice:" at column 5 like "instructions:"',
    ]);
    expect(errors('agents:', '  greeter: Greeter', '    instructions: hi')).toEqual([
      'agents.yaml:3:5  bad indentation: "instructions:" is indented more than "greeter:" on line 2, which has a value, so nothing can go under it; start "instructions:" at column 3 like "greeter:"',
    ]);
  });

  test('a key one space short: between two levels', () => {
    expect(errors('agents:', '  greeter:', '    instructions: hi', '   voice: verse', '    say: hello')).toEqual([
      'agents.yaml:4:4  bad indentation: "voice:" at column 4 lines up with no key above it; start it at column 5 like "instructions:" on line 3, or at column 3 like "greeter:" on line 2',
    ]);
  });

  test('a key dedented in the middle of a map: both ways out are named', () => {
    expect(errors('agents:', '  greeter:', '    instructions: hi', '  voice: verse', '    say: hello')).toEqual([
      'agents.yaml:5:5  bad indentation: "say:" is indented more than "voice:" on line 4, which has a value, so nothing can go under it; start "say:" at column 3 like "voice:", or "voice:" at column 5 like "instructions:" on line 3',
    ]);
    expect(errors('mcp_servers:', '  deepwiki:', '  hosted: true', '    url: https://mcp.deepwiki.com/sse')).toEqual([
      'agents.yaml:4:5  bad indentation: "url:" is indented more than "hosted:" on line 3, which has a value, so nothing can go under it; start "url:" at column 3 like "hosted:", or "hosted:" at column 5 under "deepwiki:" on line 2',
    ]);
  });

  test('the first key of a block is the one off when the keys after it agree', () => {
    expect(errors('agents:', '  greeter:', '     instructions: hi', '    voice: verse', '    say: hello')).toEqual([
      'agents.yaml:3:6  bad indentation: "instructions:" at column 6 does not line up with the keys after it ("voice:" on line 4 is at column 5); start it at column 5',
    ]);
    expect(errors('agents:', '  greeter:', '   instructions: hi', '    voice: verse', '    say: hello')).toEqual([
      'agents.yaml:3:4  bad indentation: "instructions:" at column 4 does not line up with the keys after it ("voice:" on line 4 is at column 5); start it at column 5',
    ]);
  });

  test('a `key:` dedented above its block, and the case where either of two lines may be off', () => {
    const tool = (...params: string[]) => ['agents:', '  a: { instructions: hi }', 'tools:', '  weather:', '    description: d', '  parameters:', ...params, '    result: r', '    background: true'];
    expect(errors(...tool('      location: { type: string }', '      days: { type: integer }'))).toEqual([
      'agents.yaml:6:3  bad indentation: "parameters:" at column 3 is indented less than "description:" on line 5 above it and the keys from line 9 on below it; start it at column 5 like them',
    ]);
    // Only one parameter: it may be the one off just as well.
    expect(errors(...tool('      location: { type: string }'))).toEqual([
      'agents.yaml:8:5  bad indentation: "result:" at column 5 lines up with no key above it; either "parameters:" on line 6 or "location:" on line 7 should start at column 5 too',
    ]);
  });

  test('a `key:` indented more than the keys meant to go under it, and a first key not under its parent', () => {
    expect(errors('agents:', '     greeter:', '    instructions: hi', '    voice: verse')).toEqual([
      'agents.yaml:2:6  bad indentation: "greeter:" at column 6 is indented more than "instructions:" on line 3 below it, so nothing is under it; start "greeter:" left of column 5',
    ]);
    expect(errors('agents:', '  greeter:', ' instructions: hi', '    voice: verse')).toEqual([
      'agents.yaml:3:2  bad indentation: "instructions:" at column 2 is not indented more than "greeter:" on line 2, unlike "voice:" on line 4 after it; start it at column 5 too',
    ]);
  });

  test('a key left of the first key of the file', () => {
    expect(errors(' openai:', '  model: gpt-realtime-2.1', 'agents:', '  a: { instructions: hi }')).toEqual([
      'agents.yaml:3:1  bad indentation: "agents:" is indented less than "openai:" on line 1 (column 2), the first key of the file; top-level keys must start at the same column',
    ]);
  });

  test('a list item out of line with the one above', () => {
    const tools = ['agents:', '  greeter:', '    instructions: hi', '    tools:', '      - weather'];
    expect(errors(...tools, '     - secret')).toEqual([
      'agents.yaml:6:6  bad indentation: this list item at column 6 lines up with no list item above it; start it at column 7 like the list item on line 5',
    ]);
    expect(errors(...tools, '    - secret')).toEqual([
      'agents.yaml:6:5  bad indentation: this list item at column 5 lines up with no list item above it; start it at column 7 like the list item on line 5',
    ]);
    expect(errors('agents:', '  greeter:', '    instructions: hi', '    - secret')).toEqual([
      'agents.yaml:4:5  bad indentation: this list item at column 5 lines up with no list item above it; list items go under a key with nothing after its ":", indented more than that key',
    ]);
  });

  test('a value on the next line, not indented past its key', () => {
    const next = 'bad indentation: line 4 is not a "key: value" line, so it can only continue the value of "instructions:" on line 3, and then it must be indented more than "instructions:" (past column 5)';
    expect(errors('agents:', '  greeter:', '    instructions:', '    You are friendly.', '    voice: verse')).toEqual([`agents.yaml:4:5  ${next}`]);
    expect(errors('agents:', '  greeter:', '    instructions:', '   You are friendly.', '    voice: verse')).toEqual([`agents.yaml:4:4  ${next}`]);
    expect(errors('agents:', '  greeter:', '    instructions: You are friendly', '    and helpful.', '    voice: verse')).toEqual([`agents.yaml:4:5  ${next}`]);
  });

  test('a quoted or block value with a line too far out', () => {
    expect(errors('agents:', '  greeter:', '    instructions: "You are', '    friendly"', '    voice: verse')).toEqual([
      'agents.yaml:4:5  bad indentation: line 4 is inside the quoted value of "instructions:" on line 3, so it must be indented more than "instructions:" (past column 5)',
    ]);
    expect(errors('agents:', '  greeter:', '    instructions: |', '      You are friendly', '     and helpful.', '    voice: verse')).toEqual([
      'agents.yaml:5:6  bad indentation: line 5 is indented less than line 4, the first line of the text of "instructions:" on line 3; start it at column 7 like that line',
    ]);
  });

  test('a setting two spaces short is read as an id; the schema error says so, at the key', () => {
    expect(errors('agents:', '  greeter:', '    instructions: hi', '  voice: verse')).toEqual([
      'agents.yaml:4:3  agents.voice: expected a map, got a string: "voice" is at the indentation of agent ids; if it is a setting of the agent above, indent it like that agent\'s keys',
    ]);
    expect(errors('agents:', '  a: { instructions: hi }', 'tools:', '  t:', '    description: d', '  result: r')).toEqual([
      'agents.yaml:5:5  tools.t: a tool needs one of: result (a templated answer), http: {...}, hang_up: true, transfer: {...}',
      'agents.yaml:6:3  tools.result: expected a map, got a string: "result" is at the indentation of tool ids; if it is a setting of the tool above, indent it like that tool\'s keys',
    ]);
    expect(errors('agents:', '  a: { instructions: hi }', 'tools:', '  t:', '    description: d', '    result: r', '    parameters:', '      type: string')).toEqual([
      'agents.yaml:8:7  tools.t.parameters.type: expected a map, got a string: "type" is at the indentation of parameter names; if it is a setting, put it under a parameter name',
    ]);
  });

  test('tabs, and errors that are not about indentation, keep the parser\'s words', () => {
    expect(errors('agents:', '  greeter:', '\tinstructions: hi')).toEqual(['agents.yaml:3:1  a tab: YAML indents with spaces; replace the tab with spaces']);
    expect(errors('agents:', '  greeter:', '    instructions: hi', '    tools: [weather')).toEqual([
      'agents.yaml:5:1  Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });
});

describe('indentationMistake', () => {
  test('finds nothing in valid YAML of every shape agents.yaml uses', async () => {
    const shipped = await Bun.file(`${import.meta.dir}/../../../agents.yaml`).text();
    expect(indentationMistake(shipped)).toBeUndefined();
    const valid = [
      '# comment',
      'openai:',
      '  model: gpt-realtime-2.1   # trailing comment',
      '  api_key: "${OPENAI_API_KEY}"',
      'agents:',
      '  greeter:',
      '    instructions: |',
      '      You are friendly.',
      '',
      '        Indented more inside the text.',
      '    # a comment after the text',
      '    say: >-',
      '      Hello',
      '    handoff_description: a plain value',
      '      continued on the next line',
      '    tools:',
      '    - weather',
      '    - secret',
      '    mcp_servers:',
      '      - deepwiki',
      '    fallback: { say: "a { brace",',
      '        dial: "+15551234567" }',
      '   # a comment anywhere',
      '  support:',
      "    instructions: 'a quoted value that",
      "      goes on, it''s fine'",
      '    handoffs: [',
      '      greeter]',
      'mcp_servers:',
      '  m:',
      '    allowed_tools:',
      '      - - nested',
      '        - list',
      '      - name: a',
      '        more: b',
      '      -',
      '        name: c',
      '    headers: &headers # an anchor',
      '      Accept: text/event-stream',
      '  n:',
      '    headers: !!map',
      '      <<: *headers',
      '...',
    ].join('\n');
    expect(parseDocument(valid).errors).toEqual([]);
    expect(indentationMistake(valid)).toBeUndefined();
  });
});
