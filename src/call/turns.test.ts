import { expect, test } from 'bun:test';
import type { RealtimeItem } from '@openai/agents/realtime';
import { transcriptOf } from './record.ts';
import { inProgress, turnOf } from './turns.ts';

const spokenBy = new Map([['a1', 'greeter']]);

const caller = (itemId: string, transcript: string | null, status: 'in_progress' | 'completed' = 'completed'): RealtimeItem => ({
  itemId,
  type: 'message',
  role: 'user',
  status,
  content: [{ type: 'input_audio', transcript }],
});
const agent = (itemId: string, transcript: string, status: 'in_progress' | 'completed' = 'completed'): RealtimeItem => ({
  itemId,
  type: 'message',
  role: 'assistant',
  status,
  content: [{ type: 'output_audio', transcript }],
});
const typed: RealtimeItem = { itemId: 'k1', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: '[keypad] 4 2 4 2' }] };
const system: RealtimeItem = { itemId: 's1', type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Be brief.' }] };
const tool: RealtimeItem = { itemId: 't1', type: 'function_call', status: 'completed', name: 'weather', arguments: '{}', output: 'sunny' };

test('a turn: who said it, which agent, and the words of its parts joined', () => {
  expect(turnOf(caller('c1', '  What is the weather?  '), spokenBy)).toEqual({ role: 'caller', text: 'What is the weather?' });
  expect(turnOf(agent('a1', 'Sunny.'), spokenBy)).toEqual({ role: 'agent', agent: 'greeter', text: 'Sunny.' });
  // An agent item the call did not attribute (added before the record knew) has no agent, not `agent: undefined`.
  expect(turnOf(agent('a2', 'Hello.'), spokenBy)).toStrictEqual({ role: 'agent', text: 'Hello.' });
  const parts: RealtimeItem = {
    itemId: 'a3',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [
      { type: 'output_text', text: 'Sunny' },
      { type: 'output_audio', transcript: 'in Oslo.' },
    ],
  };
  expect(turnOf(parts, spokenBy)).toEqual({ role: 'agent', text: 'Sunny in Oslo.' });
});

test('not a turn: keypad input (even beside a transcript, its text stays out), system messages, tool calls, no words yet', () => {
  expect(turnOf(typed, spokenBy)).toBeUndefined();
  const mixed: RealtimeItem = {
    itemId: 'm1',
    type: 'message',
    role: 'user',
    status: 'completed',
    content: [
      { type: 'input_text', text: '1234' },
      { type: 'input_audio', transcript: 'my PIN' },
    ],
  };
  expect(turnOf(mixed, spokenBy)).toEqual({ role: 'caller', text: 'my PIN' });
  expect(turnOf(system, spokenBy)).toBeUndefined();
  expect(turnOf(tool, spokenBy)).toBeUndefined();
  expect(turnOf(caller('c2', null), spokenBy)).toBeUndefined();
  expect(turnOf(caller('c3', '   '), spokenBy)).toBeUndefined();
});

test('in progress: a turn still being said has its words so far; the readers decide when it counts', () => {
  const speaking = agent('a1', 'Sunny in', 'in_progress');
  expect(inProgress(speaking)).toBe(true);
  expect(inProgress(agent('a1', 'Sunny.'))).toBe(false);
  expect(inProgress(system)).toBe(false);
  expect(turnOf(speaking, spokenBy)).toEqual({ role: 'agent', agent: 'greeter', text: 'Sunny in' });
  // At the call's end every turn with words counts, finished or not, in history order.
  expect(transcriptOf([system, caller('c1', 'Hi'), typed, tool, speaking], spokenBy)).toEqual([
    { role: 'caller', text: 'Hi' },
    { role: 'agent', agent: 'greeter', text: 'Sunny in' },
  ]);
});
