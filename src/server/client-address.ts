// Who is asking: the address failed admin-token attempts are counted against (auth-attempts.ts).
// The TCP peer, unless the peer is a reverse proxy named in TRUST_PROXY: then the right-most
// X-Forwarded-For entry that is not a trusted proxy. Everything to the left of what our own proxy
// appended was written by the client and proves nothing, so X-Forwarded-For from anyone else is
// ignored altogether. IPv6 clients are counted by their /64: one host holds a whole /64 to rotate
// through, so counting single addresses would count nothing.
import { isIP } from 'node:net';

/** What a Bun route handler's second argument (the server) offers. */
export interface PeerSource {
  requestIP(request: Request): { address: string } | null;
}

/** A peer Bun cannot name (e.g. a Unix socket): one client, like any other. */
const UNKNOWN = 'unknown';

/**
 * One address in canonical form (IPv6 compressed and lower case, IPv4-mapped IPv6 as IPv4), from
 * what a socket or a proxy writes: `[v6]:port` and `v4:port` lose the port, a zone id is dropped.
 * Undefined when it is not an IP address.
 */
export function canonicalAddress(text: string): string | undefined {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return undefined;
  // The URL parser writes IPv6 the one canonical way (RFC 5952), embedded IPv4 as hex.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** The eight 16-bit groups of a canonical IPv6 address. */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** What failures are counted against: an IPv4 address, or an IPv6 address's /64. */
export function clientKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const prefix = ipv6Groups(address).slice(0, 4).map((group) => group.toString(16));
  return `${canonicalAddress(`${prefix.join(':')}::`)}/64`;
}

/**
 * The client behind `peer`: the peer itself unless it is a trusted proxy; then, reading
 * X-Forwarded-For from the right, the first hop that is not a trusted proxy. A hop that is not an
 * address stops the reading at the last one that was.
 */
export function forwardedClient(peer: string, forwardedFor: string | null, trusted: ReadonlySet<string>): string {
  if (forwardedFor === null || !trusted.has(peer)) return peer;
  let client = peer;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = canonicalAddress(hops[i]!);
    if (hop === undefined) return client;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  return client;
}

/** The client key of a request (see clientKey), X-Forwarded-For read only from a trusted proxy. */
export function clientOf(request: Request, server: PeerSource, trusted: ReadonlySet<string> = new Set()): string {
  const peer = canonicalAddress(server.requestIP(request)?.address ?? '') ?? UNKNOWN;
  const client = forwardedClient(peer, request.headers.get('x-forwarded-for'), trusted);
  return client === UNKNOWN ? client : clientKey(client);
}

/**
 * TRUST_PROXY: the reverse proxies' addresses, comma-separated. A string says which entry is not
 * an address (settings.ts turns it into the start-up error).
 */
export function trustedProxies(value: string | undefined): ReadonlySet<string> | string {
  const trusted = new Set<string>();
  for (const entry of (value ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const address = canonicalAddress(entry);
    if (address === undefined) return entry.trim();
    trusted.add(address);
  }
  return trusted;
}
