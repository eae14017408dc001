// `{{call.*}}` placeholders: what is known of a call when its instructions, greeting and tool
// results are rendered. The names are checked at load, so a typo is an error, not a blank.
import { placeholders } from './template.ts';

export const CALL_FACTS = ['from', 'to', 'sid', 'direction'] as const;
/** Custom stream parameters (an outbound call's `parameters`): `{{call.param.NAME}}`. */
const PARAM = /^param\.[A-Za-z0-9_-]+$/;

const known = `known: ${CALL_FACTS.map((f) => `{{call.${f}}}`).join(', ')}, {{call.param.NAME}}`;

/** Messages for the unknown `{{call.*}}` names in `text` (other placeholders are not call facts). */
export function unknownCallFacts(text: string): string[] {
  return placeholders(text)
    .filter((name) => name.startsWith('call.'))
    .map((name) => name.slice('call.'.length))
    .filter((fact) => !(CALL_FACTS as readonly string[]).includes(fact) && !PARAM.test(fact))
    .map((fact) => `{{call.${fact}}} is not a call fact; ${known}`);
}
