import { expect, test } from 'bun:test';
import { base64ByteLength } from './mulaw.ts';

test('base64ByteLength is the decoded length, padding included', () => {
  for (const length of [0, 1, 2, 3, 4, 159, 160, 161, 4096]) {
    const encoded = Buffer.alloc(length, 7).toString('base64');
    expect(base64ByteLength(encoded)).toBe(length);
  }
});
