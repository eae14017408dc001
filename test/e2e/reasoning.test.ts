// The model a call asks for, and each agent's reasoning effort, as the Realtime API sees them,
// before and after handoffs.
import { expect, test } from 'bun:test';
import { DEFAULT_OPENAI_REALTIME_MODEL } from '@openai/agents/realtime';
import { liveCall, startHarness } from '../harness.ts';

test('with no openai.model the call asks for the SDK default model', async () => {
  await using h = await startHarness({ yaml: 'agents:\n  a: { instructions: hi }\n' });
  const { call, upstream, update } = await liveCall(h);
  expect(upstream.model).toBe(DEFAULT_OPENAI_REALTIME_MODEL);
  expect(update.session.model).toBe(DEFAULT_OPENAI_REALTIME_MODEL);
  await call.hangup();
});

const HANDOFFS = `
openai:
  model: gpt-realtime-2.1
  reasoning: { effort: low }
agents:
  greeter: { instructions: Greet., reasoning: { effort: minimal }, handoffs: [billing] }
  billing: { instructions: Bill., reasoning: { effort: medium }, handoffs: [support] }
  support: { instructions: Help., handoffs: [greeter] }
`;

/** The model hands the call on; resolves with the session.update the SDK sent for the new agent. */
async function handOff(upstream: Awaited<ReturnType<typeof liveCall>>['upstream'], to: string) {
  const before = upstream.eventsOf('session.update').length;
  const { callId } = await upstream.callTool(`transfer_to_${to}`, {});
  await upstream.waitFor('conversation.item.create', (e) => e.item?.type === 'function_call_output' && e.item.call_id === callId);
  const updates = upstream.eventsOf('session.update');
  expect(updates.length).toBe(before + 1);
  return updates.at(-1);
}

test('each agent has its own effort, the global one otherwise, and a handoff carries the new agent’s', async () => {
  await using h = await startHarness({ yaml: HANDOFFS });
  const { call, upstream, update } = await liveCall(h);
  expect(update.session.instructions).toBe('Greet.');
  expect(update.session.reasoning).toEqual({ effort: 'minimal' });

  const toBilling = await handOff(upstream, 'billing');
  expect(toBilling.session.instructions).toBe('Bill.');
  expect(toBilling.session.reasoning).toEqual({ effort: 'medium' });

  const toSupport = await handOff(upstream, 'support');
  expect(toSupport.session.instructions).toBe('Help.');
  expect(toSupport.session.reasoning).toEqual({ effort: 'low' });

  const back = await handOff(upstream, 'greeter');
  expect(back.session.reasoning).toEqual({ effort: 'minimal' });
  expect(upstream.session.reasoning).toEqual({ effort: 'minimal' });
  await call.hangup();
});

test("an agent without an effort does not keep the previous agent's: it gets the API default", async () => {
  const yaml = `
agents:
  triage: { instructions: Triage., reasoning: { effort: high }, handoffs: [desk] }
  desk: { instructions: Desk. }
`;
  await using h = await startHarness({ yaml });
  const { call, upstream, update } = await liveCall(h);
  expect(update.session.reasoning).toEqual({ effort: 'high' });
  const toDesk = await handOff(upstream, 'desk');
  expect(toDesk.session.reasoning).toEqual({ effort: 'low' });
  await call.hangup();
});
