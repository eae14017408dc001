// A strict reader of the Prometheus text format (0.0.4), for tests: every sample must belong to a
// family declared by `# TYPE` before it, names and labels must be well formed, values numbers.
// Throws on anything else, so a test that reads /metrics also checks that it parses.

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Samples by `name{label="value",...}` (labels as written, sorted), or `name` without labels. */
export type Samples = Map<string, number>;

export function parsePrometheus(text: string): Samples {
  const types = new Map<string, string>();
  const samples: Samples = new Map();
  for (const [index, line] of text.split('\n').entries()) {
    const fail = (why: string) => new Error(`metrics line ${index + 1}: ${why}: ${line}`);
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
      if (!keyword || !name || !NAME.test(name)) throw fail('bad comment');
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest ?? '') || types.has(name)) throw fail('bad or repeated TYPE');
        types.set(name, rest!);
      }
      continue;
    }
    const [, name, labelText, valueText] = SAMPLE.exec(line) ?? [];
    if (!name || valueText === undefined) throw fail('not a sample');
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    const type = types.get(family);
    if (!type || (family !== name && type !== 'histogram' && type !== 'summary')) throw fail('sample without a TYPE');
    const labels: string[] = [];
    LABEL.lastIndex = 0;
    while (labelText !== undefined && LABEL.lastIndex < labelText.length) {
      const match = LABEL.exec(labelText);
      if (!match) throw fail('bad labels');
      labels.push(`${match[1]}="${match[2]}"`);
    }
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') throw fail('bad value');
    const key = labels.length > 0 ? `${name}{${labels.sort().join(',')}}` : name;
    if (samples.has(key)) throw fail('repeated sample');
    samples.set(key, value);
  }
  return samples;
}
