// The `{{name}}` placeholder syntax of a tool's `result`, shared by the schema (which checks that
// each names a parameter) and the compiled tool (which fills them in).

export const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}
