// Loading the SDK transport installs the native base64 helpers where the SDK's Twilio transport
// reaches them (its `utils` object); AUDIO_PATH=sdk relies on it for every frame.
import { expect, test } from 'bun:test';
import { utils } from '@openai/agents/realtime';
import { arrayBufferToBase64, base64ToArrayBuffer } from './base64.ts';
import './sdk-transport.ts';

test('the SDK transport patches the SDK’s base64 helpers with the native ones', () => {
  expect(utils.base64ToArrayBuffer).toBe(base64ToArrayBuffer);
  expect(utils.arrayBufferToBase64).toBe(arrayBufferToBase64);
});
