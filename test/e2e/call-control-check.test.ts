// `check` on the call-control keys: every mistake at its line, in one line each.
import { expect, test } from 'bun:test';
import { runCli, scratchDir } from '../cli.ts';

const BROKEN = `numbers:
  "5550001111": desk
  "+15550002222": nobody
outbound: { machine_detection: leave_message }
agents:
  desk:
    instructions: "Hello {{call.frm}}"
    first_message: ""
    dtmf: { mode: sometimes, end_on: x, timeout_ms: 10 }
    tools: [hang_up, transfer_call, both]
tools:
  both:
    result: ok
    hang_up: true
  bad_transfer:
    transfer: { to: ["555-1234"], timeout_seconds: 2 }
`;

test('check reports each call-control mistake at its line', async () => {
  const r = await runCli(['check'], {}, scratchDir({ 'agents.yaml': BROKEN }));
  expect(r.code).toBe(1);
  expect(r.stderr).toMatchSnapshot();
});

test('{{call.*}} in the answering-machine message is checked too', async () => {
  const yaml = 'outbound: { machine_detection: leave_message, message: "Hi {{call.too}}" }\nagents:\n  a: { instructions: hi }\n';
  const r = await runCli(['check'], {}, scratchDir({ 'agents.yaml': yaml }));
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n')[0]).toBe(
    'agents.yaml:1:56  outbound.message: {{call.too}} is not a call fact; known: {{call.from}}, {{call.to}}, {{call.sid}}, {{call.direction}}, {{call.param.NAME}}',
  );
});

test('a valid call-control config passes check', async () => {
  const yaml = `numbers:
  "+15550002222": desk
outbound: { from: "+15550009999", machine_detection: leave_message, message: "Hi {{call.to}}, please call us back." }
agents:
  desk:
    instructions: "Hello {{call.from}}"
    first_message: "Thanks for calling!"
    dtmf: { mode: collect, end_on: "#", max_digits: 6, timeout_ms: 3000 }
    tools: [hang_up, transfer_call]
tools:
  transfer_call:
    transfer: { to: [{ number: "+15550001111", description: Billing }, "sip:desk@example.com"], announce: "One moment." }
`;
  const r = await runCli(['check'], {}, scratchDir({ 'agents.yaml': yaml }));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
