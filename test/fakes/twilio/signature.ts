// Twilio's request signature (X-Twilio-Signature).
import { createHmac } from 'node:crypto';

export type SignatureParams = Record<string, string | readonly string[]>;

/**
 * Twilio's request signature: base64(HMAC-SHA1(authToken, url + for each key sorted: key + value)).
 * A key with several values contributes each distinct value, values sorted (as the `twilio`
 * package's `getExpectedTwilioSignature` does). For a WebSocket upgrade: the wss:// URL, no params.
 */
export function twilioSignature(authToken: string, url: string, params: SignatureParams = {}): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key]!;
    if (typeof value === 'string') {
      data += key + value;
    } else {
      for (const v of [...new Set(value)].sort()) data += key + v;
    }
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}
