// Twilio SIDs: a two-letter prefix and 32 hex digits.
import { randomBytes } from 'node:crypto';

function hex32(): string {
  return randomBytes(16).toString('hex');
}
export const newCallSid = () => `CA${hex32()}`;
export const newAccountSid = () => `AC${hex32()}`;
export const newStreamSid = () => `MZ${hex32()}`;
