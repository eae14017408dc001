// `check` on privacy and logging: defaults, and every mistake at its line in words that say what
// to do (the messages are part of the interface, hence exact strings).
import { expect, test } from 'bun:test';
import { ConfigErrors } from '../diagnostics/errors.ts';
import { parseConfig } from '../load.ts';

const parse = (...lines: string[]) => parseConfig(['agents:', '  a: { instructions: hi }', ...lines].join('\n'), 'agents.yaml', {}).config;

function errors(...lines: string[]): string[] {
  try {
    parse(...lines);
  } catch (error) {
    if (error instanceof ConfigErrors) return error.format().split('\n');
    throw error;
  }
  return [];
}

test('defaults: card numbers redacted, no conversation in info logs', () => {
  const config = parse();
  expect(config.privacy).toEqual({ redact: ['card_number'] });
  expect(config.logging).toEqual({ content: false });
  expect(parse('privacy: { redact: [] }', 'logging: { content: true }')).toMatchObject({ privacy: { redact: [] }, logging: { content: true } });
});

test('built-ins by name, custom entries with a valid regex that matches something', () => {
  expect(parse('privacy:', '  redact: [card_number, ssn, email, phone, { name: policy, regex: "POL-\\\\d{6}" }]').privacy.redact).toEqual([
    'card_number',
    'ssn',
    'email',
    'phone',
    { name: 'policy', regex: 'POL-\\d{6}' },
  ]);
  expect(
    errors(
      'privacy:',
      '  redact:',
      '    - { name: policy, regex: "(POL-\\\\d{6}" }',
      '    - cards',
      '    - { name: anything, regex: "a*" }',
      '    - { name: "bad name", regex: b }',
      '    - 7',
      '    - { name: y }',
    ),
  ).toEqual([
    'agents.yaml:5:30  privacy.redact[0].regex: not a valid regular expression: missing )',
    'agents.yaml:6:7  privacy.redact[1]: unknown redaction "cards"; use card_number, ssn, email, phone, or { name, regex } for your own',
    'agents.yaml:7:32  privacy.redact[2].regex: matches empty text, so it would remove nothing and mark every position; make it match at least one character',
    'agents.yaml:8:15  privacy.redact[3].name: may only contain letters, digits, "_" and "-", at most 64 characters',
    'agents.yaml:9:7  privacy.redact[4]: expected a redaction: card_number, ssn, email, phone, or { name, regex } for your own',
    'agents.yaml:10:7  privacy.redact[5]: a custom redaction needs a name and a regex, e.g. { name: policy_number, regex: "POL-\\d{6}" }',
  ]);
  expect(errors('privacy: { redact: [card_number, { name: card_number, regex: x }] }')).toEqual([
    'agents.yaml:3:42  privacy.redact[1].name: "card_number" is listed twice; names must differ',
  ]);
  expect(errors('logging: { content: yes }')).toEqual(['agents.yaml:3:21  logging.content: expected a boolean (true or false), got a string']);
});
