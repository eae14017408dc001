// Config errors are collected, never thrown one by one: fixing agents.yaml goes faster when
// every problem is listed at once, each with a position an editor can jump to.

export interface ConfigError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Dotted path into the document, e.g. `agents.greeter.tools[1]`; '' for the document itself. */
  path: string;
  message: string;
}

/** How bad a notice is; the one word for it across config, `check`, `doctor` and the server's logs. */
export type Severity = 'warning' | 'error';

/** Worth knowing about a config that loads: a warning, or an error for `check` and `doctor` only. */
export interface ConfigNotice extends ConfigError {
  severity: Severity;
}

export function sortErrors<T extends ConfigError>(errors: readonly T[]): T[] {
  return [...errors].sort((a, b) => a.line - b.line || a.col - b.col);
}

export function formatError(e: ConfigError): string {
  const where = `${e.file}:${e.line}:${e.col}`;
  return e.path === '' ? `${where}  ${e.message}` : `${where}  ${e.path}: ${e.message}`;
}

/** A notice as `check` prints it: labelled, so a warning never reads like an error. */
export function formatNotice(n: ConfigNotice): string {
  const where = `${n.file}:${n.line}:${n.col}`;
  return `${where}  ${n.severity}: ${n.path === '' ? '' : `${n.path}: `}${n.message}`;
}

export class ConfigErrors extends Error {
  readonly errors: ConfigError[];

  constructor(errors: ConfigError[]) {
    const sorted = sortErrors(errors);
    super(sorted.map(formatError).join('\n'));
    this.name = 'ConfigErrors';
    this.errors = sorted;
  }

  /** One line per error, `FILE:LINE:COL  path: message`, sorted by position. */
  format(): string {
    return this.errors.map(formatError).join('\n');
  }
}
