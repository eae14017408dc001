// agents.yaml → Config: parse, interpolate ${ENV}, validate, check references. Each stage
// collects everything it finds so one run lists every problem.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { adviceNotices } from './diagnostics/advice.ts';
import { ConfigErrors, sortErrors, type ConfigError, type ConfigNotice } from './diagnostics/errors.ts';
import { interpolateDocument, type PathKey } from './interpolate.ts';
import { describeIssues, type Notice, type Problem } from './diagnostics/issues.ts';
import { modelNotices } from './diagnostics/model-notices.ts';
import { todayUtc } from './models.ts';
import { find, formatPath, lineCol } from './diagnostics/positions.ts';
import { checkReferences } from './diagnostics/references.ts';
import { configSchema, type Config } from './schema/schema.ts';
import { syntaxErrors } from './diagnostics/syntax.ts';

type Env = Record<string, string | undefined>;

export interface LoadOptions {
  /** The day model shutdowns are judged on, YYYY-MM-DD (default: today, UTC). */
  today?: string;
}

/** A valid config, and what is worth a warning in it (or, for a model past its shutdown, an error). */
export interface LoadedConfig {
  config: Config;
  notices: ConfigNotice[];
  /** Where a path of the config is written (its key; a missing one: its nearest ancestor's). */
  locate(path: PathKey[]): { line: number; col: number };
}

export async function loadConfig(file: string, env: Env, options: LoadOptions = {}): Promise<LoadedConfig> {
  let source: string;
  try {
    source = await Bun.file(file).text();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = typeof code === 'string' ? ` (${code})` : '';
    const message = `cannot read the config file${why}; check the path, or create it (agents.yaml in the repository is an example)`;
    throw new ConfigErrors([{ file, line: 1, col: 1, path: '', message }]);
  }
  return parseConfig(source, file, env, options);
}

export function parseConfig(source: string, file: string, env: Env, options: LoadOptions = {}): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigErrors(syntaxErrors(doc.errors, source, file, lineCounter));
  const atStart = (message: string) => new ConfigErrors([{ file, line: 1, col: 1, path: '', message }]);
  if (doc.contents === null) throw atStart('the file is empty; it needs at least an `agents:` map');
  if (!isMap(doc.contents)) {
    const got = isSeq(doc.contents) ? 'a list' : 'a single value';
    throw atStart(`the top level must be a map of settings (key: value lines), not ${got}`);
  }

  const { problems: envProblems, bare: envBare, rewritten } = interpolateDocument(doc, env);
  let data: unknown;
  try {
    data = doc.toJS();
  } catch {
    // toJS only throws on alias bombs (too many aliases); the yaml message has no position.
    throw atStart('too many YAML aliases (*name); expand them');
  }

  // A scalar whose variable is unset would also fail validation; one error there is enough.
  const unset = new Set(envProblems.map((p) => formatPath(p.path)));
  const unlessUnset = (p: Problem) => !unset.has(formatPath(p.path));
  const rewrite = (path: PathKey[]) => {
    const node = find(doc, path).node;
    return node === undefined ? undefined : rewritten.get(node);
  };
  // Referenced ids that came from the environment are shown as written, never as their value.
  const show = (path: PathKey[], value: string) => {
    const source = rewrite(path)?.source;
    return source === undefined ? JSON.stringify(value) : `from ${JSON.stringify(source)}`;
  };
  // Written in the file itself: nothing in it came from the environment (a ${NAME:-default} may).
  const literal = (path: PathKey[]) => (rewrite(path)?.secrets.length ?? 0) === 0;

  const numberKey = (path: PathKey[]) => {
    const key = find(doc, path, 'key').key;
    return isScalar(key) && typeof key.value === 'number';
  };
  const parsed = configSchema.safeParse(data);
  const problems: Problem[] = [
    ...envProblems.map((p): Problem => ({ ...p, at: 'value' })),
    ...(parsed.success ? [] : describeIssues(parsed.error.issues, data, configSchema, numberKey).filter(unlessUnset)),
    ...checkReferences(data, show).filter(unlessUnset),
  ];
  if (problems.length > 0 || !parsed.success) {
    // An error on a node makes errors inside it noise (`enum` not allowed here vs. its items),
    // except a misspelt key: `deny_regexp` is why the guardrail "needs deny_regex", so the typo
    // is the one line worth reading, and the node's own error goes.
    const inside = (outer: string, path: string) => outer !== '' && (path.startsWith(`${outer}.`) || path.startsWith(`${outer}[`));
    const typos = problems.filter((p) => p.at === 'key' && p.message.includes('did you mean')).map((p) => formatPath(p.path));
    const explained = (p: Problem) => typos.some((typo) => inside(formatPath(p.path), typo));
    const kept = problems.filter((p) => !explained(p));
    const paths = kept.map((p) => formatPath(p.path));
    const nested = (p: Problem) => paths.some((outer) => inside(outer, formatPath(p.path)));
    const located = kept.filter((p) => !nested(p)).map((p) => locate(p, doc, lineCounter, rewritten, file));
    throw new ConfigErrors(located);
  }
  // A `$TOKEN` header is also a literal secret to the advice; the missing braces are the one thing to fix.
  const bare = envBare.map((p): Notice => ({ ...p, at: 'value', severity: 'warning' }));
  const bareAt = new Set(bare.map((n) => formatPath(n.path)));
  const advice = adviceNotices(parsed.data, literal).filter((n) => !bareAt.has(formatPath(n.path)));
  const found = [...modelNotices(parsed.data, options.today ?? todayUtc()), ...advice, ...bare];
  const notices = found.map((n): ConfigNotice => ({ ...locate(n, doc, lineCounter, rewritten, file), severity: n.severity }));
  const locatePath = (path: PathKey[]) => lineCol(lineCounter, find(doc, path, 'key').offset);
  return { config: parsed.data, notices: sortErrors(notices), locate: locatePath };
}

function locate(
  problem: Problem,
  doc: Document,
  lineCounter: LineCounter,
  rewritten: ReturnType<typeof interpolateDocument>['rewritten'],
  file: string,
): ConfigError {
  const { node, offset } = find(doc, problem.path, problem.at);
  const secrets = (node === undefined ? undefined : rewritten.get(node)?.secrets) ?? [];
  const path = formatPath(problem.path);
  // A message written to quote no input is shown as it is (masking could only mangle it: an env
  // value of "gpt-realtime" is part of the advice "use gpt-realtime-2.1").
  if (secrets.length > 0 && problem.withoutInput !== undefined) return { file, ...lineCol(lineCounter, offset), path, message: problem.withoutInput };
  // Belt and braces: no other message should contain a substituted value, but if one ever does
  // (say, a future custom message quoting its input), it is masked here.
  let message = problem.message;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) message = message.split(secret).join('***');
  return { file, ...lineCol(lineCounter, offset), path, message };
}
