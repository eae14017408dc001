// `check` as a user meets its advice: warnings (exit 0) for an unknown voice and a key written
// into the file, and an indentation mistake (exit 1) explained at the line that is off.
import { expect, test } from 'bun:test';
import { runCli, scratchDir } from '../cli.ts';

const KEY = 'sk-proj-e2e-never-printed';

test('an unknown voice and a literal API key are warnings at their lines; check still passes', async () => {
  const yaml = ['openai:', `  api_key: ${KEY}`, 'agents:', '  greeter:', '    instructions: hi', '    voice: vers', ''].join('\n');
  const r = await runCli(['check', '--date', '2026-12-01'], {}, scratchDir({ 'agents.yaml': yaml }));
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(
    [
      'agents.yaml:2:12  warning: openai.api_key: a literal API key in the YAML ends up in backups and version control; use ${OPENAI_API_KEY} and put the key in .env',
      'agents.yaml:6:12  warning: agents.greeter.voice: unknown voice "vers"; did you mean "verse"? known voices: alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin, cedar',
      '',
    ].join('\n'),
  );
  expect(r.stdout).toStartWith('agents.yaml: ok: 1 agents');
  expect(r.stdout + r.stderr).not.toContain(KEY);
});

test('an indentation mistake is one error at the line that is off; exit 1', async () => {
  const yaml = ['agents:', '  greeter:', '    instructions: hi', '     voice: verse', '    say: hello', ''].join('\n');
  const r = await runCli(['check'], {}, scratchDir({ 'agents.yaml': yaml }));
  expect(r).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'agents.yaml:4:6  bad indentation: "voice:" is indented more than "instructions:" on line 3, which has a value, so nothing can go under it; start "voice:" at column 5 like "instructions:"\n' +
      '1 error(s); fix them and run again.\n',
  });
});
