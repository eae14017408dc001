// A fake Twilio: the phone network side of a call, on loopback.
//
// It sends the signed voice webhook, parses the TwiML, opens the Media Streams WebSocket the way
// Twilio does (signed upgrade, connected/start/media/dtmf/stop), and plays the part of Twilio's
// media player for what switchboard sends back (media, mark, clear), including mark echoes.
// Protocol truth: docs/twilio-protocol.md. When the code in twilio/ disagrees, it is wrong.
//
// The code lives in twilio/: fake-twilio.ts (FakeTwilio: webhooks, upgrades, placing calls),
// call.ts (FakeCall: one call's media stream) and the pieces they use.
export { FakeCall } from './twilio/call.ts';
export { FakeTwilio, type CallOptions, type FakeTwilioOptions } from './twilio/fake-twilio.ts';
export { newAccountSid, newCallSid, newStreamSid } from './twilio/ids.ts';
export type { PlaybackMode } from './twilio/player.ts';
export { twilioSignature, type SignatureParams } from './twilio/signature.ts';
export { parseTwiml, type ParsedTwiml } from './twilio/twiml.ts';
export type { UpgradeResult } from './twilio/upgrade.ts';
export type { TwilioCallParams, WebhookOptions, WebhookParams, WebhookResult } from './twilio/webhook.ts';
export { parseXml, type XmlElement } from './twilio/xml.ts';
