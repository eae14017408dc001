// Where switchboard may place outbound calls: the destination policy, as a pure function, and the
// one documented list of premium-rate and high-fraud ranges. The threat is toll fraud: whoever
// gets to place calls (a leaked admin token, a script gone wrong) dials numbers that pay their
// owner per minute (premium rate, or international revenue-share fraud, IRSF), on your bill.
//
// The rule: a call goes only to a prefix in `outbound.allowed_destinations`, or, without that
// list, to the country calling code of the number it comes from. A risky range below is refused
// even inside an allowed prefix (allowing "+1" does not allow "+1900"), unless a listed prefix is
// at least as specific as the range ("+1900", or "+19005551"): listing it is deliberate, and
// `switchboard check` warns about it.
import { countryCodeOf } from './country-codes.ts';

export interface RiskyRange {
  /** E.164 prefix, with its +. */
  prefix: string;
  /** What it is, for refusals and warnings. */
  what: string;
}

const NANP_ONE_RING = 'a Caribbean area code abused in "one-ring" callback scams';
const PREMIUM_BILLED = 'billed at premium rates';
const IRSF = 'a country among the most abused for international revenue-share fraud';

/**
 * Premium-rate and high-fraud ranges. A starting list, drawn from carriers' and consumer
 * regulators' published warnings (premium rate, "one-ring" area codes, top IRSF destinations);
 * review it against your carrier's own list. To call one of them, list its prefix (or a longer
 * one) in `outbound.allowed_destinations`, e.g. `["+1", "+1876"]` to also reach Jamaica.
 */
export const RISKY_RANGES: readonly RiskyRange[] = [
  // North American premium rate: the caller pays whatever the number's owner charges.
  { prefix: '+1900', what: 'North American premium-rate (900) numbers' },
  { prefix: '+1976', what: 'North American premium-rate (976) numbers' },
  // NANP numbers that look domestic (+1) but are international calls at international rates.
  { prefix: '+1268', what: `Antigua and Barbuda, ${NANP_ONE_RING}` },
  { prefix: '+1284', what: `the British Virgin Islands, ${NANP_ONE_RING}` },
  { prefix: '+1473', what: `Grenada, ${NANP_ONE_RING}` },
  { prefix: '+1649', what: `the Turks and Caicos Islands, ${NANP_ONE_RING}` },
  { prefix: '+1664', what: `Montserrat, ${NANP_ONE_RING}` },
  { prefix: '+1767', what: `Dominica, ${NANP_ONE_RING}` },
  { prefix: '+1809', what: `the Dominican Republic, ${NANP_ONE_RING}` },
  { prefix: '+1829', what: `the Dominican Republic, ${NANP_ONE_RING}` },
  { prefix: '+1849', what: `the Dominican Republic, ${NANP_ONE_RING}` },
  { prefix: '+1876', what: `Jamaica, ${NANP_ONE_RING}` },
  // Non-geographic codes: no country's ordinary subscribers, high per-minute charges.
  { prefix: '+870', what: `Inmarsat satellite phones, ${PREMIUM_BILLED}` },
  { prefix: '+881', what: `global mobile satellite systems, ${PREMIUM_BILLED}` },
  { prefix: '+882', what: `international networks (non-geographic numbers), ${PREMIUM_BILLED}` },
  { prefix: '+883', what: `international networks (non-geographic numbers), ${PREMIUM_BILLED}` },
  { prefix: '+979', what: 'international premium-rate numbers' },
  // International revenue-share fraud: countries whose high termination rates make them the
  // usual destinations of fraudulent traffic.
  { prefix: '+216', what: `Tunisia, ${IRSF}` },
  { prefix: '+220', what: `the Gambia, ${IRSF}` },
  { prefix: '+222', what: `Mauritania, ${IRSF}` },
  { prefix: '+223', what: `Mali, ${IRSF}` },
  { prefix: '+224', what: `Guinea, ${IRSF}` },
  { prefix: '+231', what: `Liberia, ${IRSF}` },
  { prefix: '+232', what: `Sierra Leone, ${IRSF}` },
  { prefix: '+235', what: `Chad, ${IRSF}` },
  { prefix: '+239', what: `São Tomé and Príncipe, ${IRSF}` },
  { prefix: '+240', what: `Equatorial Guinea, ${IRSF}` },
  { prefix: '+242', what: `the Republic of the Congo, ${IRSF}` },
  { prefix: '+243', what: `the Democratic Republic of the Congo, ${IRSF}` },
  { prefix: '+245', what: `Guinea-Bissau, ${IRSF}` },
  { prefix: '+246', what: `Diego Garcia, ${IRSF}` },
  { prefix: '+247', what: `Ascension Island, ${IRSF}` },
  { prefix: '+252', what: `Somalia, ${IRSF}` },
  { prefix: '+257', what: `Burundi, ${IRSF}` },
  { prefix: '+261', what: `Madagascar, ${IRSF}` },
  { prefix: '+263', what: `Zimbabwe, ${IRSF}` },
  { prefix: '+269', what: `the Comoros, ${IRSF}` },
  { prefix: '+290', what: `Saint Helena and Tristan da Cunha, ${IRSF}` },
  { prefix: '+291', what: `Eritrea, ${IRSF}` },
  { prefix: '+370', what: `Lithuania, ${IRSF}` },
  { prefix: '+371', what: `Latvia, ${IRSF}` },
  { prefix: '+500', what: `the Falkland Islands, ${IRSF}` },
  { prefix: '+53', what: `Cuba, ${IRSF}` },
  { prefix: '+670', what: `Timor-Leste, ${IRSF}` },
  { prefix: '+672', what: `Norfolk Island and Antarctica, ${IRSF}` },
  { prefix: '+674', what: `Nauru, ${IRSF}` },
  { prefix: '+675', what: `Papua New Guinea, ${IRSF}` },
  { prefix: '+677', what: `the Solomon Islands, ${IRSF}` },
  { prefix: '+678', what: `Vanuatu, ${IRSF}` },
  { prefix: '+682', what: `the Cook Islands, ${IRSF}` },
  { prefix: '+683', what: `Niue, ${IRSF}` },
  { prefix: '+686', what: `Kiribati, ${IRSF}` },
  { prefix: '+688', what: `Tuvalu, ${IRSF}` },
  { prefix: '+690', what: `Tokelau, ${IRSF}` },
  { prefix: '+691', what: `Micronesia, ${IRSF}` },
  { prefix: '+692', what: `the Marshall Islands, ${IRSF}` },
  { prefix: '+850', what: `North Korea, ${IRSF}` },
];

export type DestinationRefusal = {
  /** `high_risk`: in a risky range not listed explicitly; `not_allowed`: outside every allowed prefix. */
  kind: 'high_risk' | 'not_allowed';
  /** One line saying why and what to change; it names prefixes, never the whole number. */
  message: string;
};

export interface DestinationPolicy {
  /** `outbound.allowed_destinations`; undefined: the country calling code of `from`. */
  allowed?: readonly string[];
  /** The number the call comes from. */
  from: string;
}

/** The most specific risky range `number` (or a prefix) falls in. */
export function riskyRangeOf(number: string): RiskyRange | undefined {
  let found: RiskyRange | undefined;
  for (const range of RISKY_RANGES) {
    if (number.startsWith(range.prefix) && (found === undefined || range.prefix.length > found.prefix.length)) found = range;
  }
  return found;
}

/** The prefixes calls may go to: those listed, or the country calling code of `from`. */
export function allowedPrefixes(policy: DestinationPolicy): readonly string[] {
  if (policy.allowed !== undefined) return policy.allowed;
  const own = countryCodeOf(policy.from);
  return own === undefined ? [] : [own];
}

const ALLOWED_KEY = 'outbound.allowed_destinations';

/** Why a call to `to` may not be placed, or undefined when it may. */
export function checkDestination(to: string, policy: DestinationPolicy): DestinationRefusal | undefined {
  const allowed = allowedPrefixes(policy);
  const match = allowed.filter((prefix) => to.startsWith(prefix)).sort((a, b) => b.length - a.length)[0];
  const code = countryCodeOf(to);
  if (match === undefined) {
    const where = code === undefined ? `${to.slice(0, 4)}… is no assigned country code` : `${code} is not allowed`;
    const now =
      policy.allowed !== undefined
        ? `${ALLOWED_KEY} lists ${allowed.length === 0 ? 'none' : allowed.join(', ')}`
        : `without ${ALLOWED_KEY}, calls go only to ${allowed[0] ?? 'nowhere'}, the country code of the number they come from`;
    return { kind: 'not_allowed', message: `refused: ${where}: ${now}; add the prefix to ${ALLOWED_KEY} to call there` };
  }
  const risky = riskyRangeOf(to);
  // Explicitly listed: an allowed prefix at least as specific as the range (it starts with it).
  if (risky !== undefined && match.length < risky.prefix.length) {
    return {
      kind: 'high_risk',
      message: `refused: ${risky.prefix} is ${risky.what}; to call it, list "${risky.prefix}" in ${ALLOWED_KEY} (allowing ${match} does not include it)`,
    };
  }
  return undefined;
}
