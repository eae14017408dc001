import { expect, test } from 'bun:test';
import { canonicalAddress, clientKey, clientOf, forwardedClient, trustedProxies } from './client-address.ts';

const PROXY = '10.0.0.2';
const trusted = new Set([PROXY, '::1']);
const peer = (address: string | null) => ({ requestIP: () => (address === null ? null : { address }) });
const request = (forwardedFor?: string) => new Request('http://x/calls', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });

test('addresses are compared in one form: ports, brackets, zone ids, case and IPv4-mapped IPv6 do not make another client', () => {
  expect(canonicalAddress(' 10.0.0.1 ')).toBe('10.0.0.1');
  expect(canonicalAddress('10.0.0.1:5050')).toBe('10.0.0.1');
  expect(canonicalAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
  expect(canonicalAddress('2001:db8:0:0:0:0:0:1')).toBe('2001:db8::1');
  expect(canonicalAddress('fe80::1%eth0')).toBe('fe80::1');
  expect(canonicalAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
  expect(canonicalAddress('[::ffff:c000:207]:80')).toBe('192.0.2.7');
  for (const junk of ['', 'unknown', '1.2.3', '192.0.2.7/24', 'evil.example', '<script>']) expect(canonicalAddress(junk)).toBeUndefined();
});

test('an IPv6 client is its /64; an IPv4 client is its address', () => {
  expect(clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
  expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:db8:1:2:ffff::9'));
  expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
  expect(clientKey('::1')).toBe('::/64');
  expect(clientKey('198.51.100.9')).toBe('198.51.100.9');
});

test('without a trusted proxy X-Forwarded-For is ignored: a client cannot name itself', () => {
  const attacker = peer('203.0.113.7');
  for (const spoof of ['198.51.100.1', '198.51.100.1, 198.51.100.2', PROXY, '::1', 'garbage', '']) {
    expect(clientOf(request(spoof), attacker)).toBe('203.0.113.7');
    expect(clientOf(request(spoof), attacker, trusted)).toBe('203.0.113.7');
  }
  // Being a trusted address is a matter of the socket, not of a header.
  expect(forwardedClient('203.0.113.7', `198.51.100.1, ${PROXY}`, trusted)).toBe('203.0.113.7');
});

test('behind a trusted proxy the client is the right-most hop that is not a proxy, whatever the client wrote to its left', () => {
  const proxy = peer(PROXY);
  expect(clientOf(request('203.0.113.7'), proxy, trusted)).toBe('203.0.113.7');
  // The client sent its own X-Forwarded-For; the proxy appended the address it saw.
  expect(clientOf(request('198.51.100.1, 203.0.113.7'), proxy, trusted)).toBe('203.0.113.7');
  expect(clientOf(request('10.0.0.2, ::1, 203.0.113.7'), proxy, trusted)).toBe('203.0.113.7');
  // Two proxies (both trusted): the hop before them.
  expect(clientOf(request(`198.51.100.1, 203.0.113.7, ${PROXY}`), proxy, trusted)).toBe('203.0.113.7');
  // Header lines are joined in order: the last one's last hop is the right-most.
  const twoLines = new Request('http://x/', { headers: [['x-forwarded-for', '198.51.100.1'], ['x-forwarded-for', '203.0.113.7']] });
  expect(clientOf(twoLines, proxy, trusted)).toBe('203.0.113.7');
  // A hop that is not an address ends the reading at the last one that was: no name of one's choosing.
  expect(clientOf(request('203.0.113.7, nonsense'), proxy, trusted)).toBe(PROXY);
  expect(clientOf(request('nonsense, 203.0.113.7'), proxy, trusted)).toBe('203.0.113.7');
  // IPv6 behind the proxy: counted by its /64, however the client varies the rest.
  expect(clientOf(request('2001:db8:1:2::1'), proxy, trusted)).toBe('2001:db8:1:2::/64');
  expect(clientOf(request('[2001:db8:1:2:dead:beef::1]:1234'), proxy, trusted)).toBe('2001:db8:1:2::/64');
  // No header: the proxy itself asked.
  expect(clientOf(request(), proxy, trusted)).toBe(PROXY);
  // Only trusted hops: the left-most of them.
  expect(clientOf(request(`::1, ${PROXY}`), proxy, trusted)).toBe('::/64');
});

test('an IPv4-mapped peer matches a trusted IPv4 proxy; a peer Bun cannot name is one client', () => {
  expect(clientOf(request('203.0.113.7'), peer(`::ffff:${PROXY}`), trusted)).toBe('203.0.113.7');
  expect(clientOf(request('203.0.113.7'), peer(null), trusted)).toBe('unknown');
});

test('TRUST_PROXY: addresses, comma-separated; anything else is named', () => {
  expect(trustedProxies(undefined)).toEqual(new Set());
  expect(trustedProxies(' 127.0.0.1, ::1 ,,')).toEqual(new Set(['127.0.0.1', '::1']));
  expect(trustedProxies('127.0.0.1,proxy.internal')).toBe('proxy.internal');
  expect(trustedProxies('10.0.0.0/8')).toBe('10.0.0.0/8');
});
