// Fills a tool's `result` template. The config loader has already checked that every placeholder
// names a declared parameter, so rendering never meets an unknown name.
import { PLACEHOLDER } from '../config/schema/template.ts';

export function renderTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? '' : String(value);
  });
}
