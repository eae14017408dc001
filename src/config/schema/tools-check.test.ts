// `check` on http tools, MCP servers, guardrails and fillers: every mistake at its line, in words
// that say what to do. The messages are part of the interface, hence exact strings.
import { describe, expect, test } from 'bun:test';
import { ConfigErrors } from '../diagnostics/errors.ts';
import { parseConfig } from '../load.ts';

function errors(...lines: string[]): string[] {
  try {
    parseConfig(['agents:', '  a: { instructions: hi }', ...lines].join('\n'), 'agents.yaml', { TOKEN: 'sk-secret-value' });
  } catch (error) {
    if (error instanceof ConfigErrors) return error.format().split('\n');
    throw error;
  }
  return [];
}

function warnings(...lines: string[]): string[] {
  const { notices } = parseConfig(['agents:', '  a: { instructions: hi }', ...lines].join('\n'), 'agents.yaml', { TOKEN: 'sk-secret-value' });
  return notices.map((n) => `${n.line}:${n.col}  ${n.path}: ${n.message}`);
}

describe('http tools', () => {
  test('placeholders: never in the host or the headers; every one names a parameter or a call fact', () => {
    expect(
      errors(
        'tools:',
        '  t:',
        '    description: d',
        '    parameters: { id: { type: string } }',
        '    http:',
        '      url: "https://{{id}}.example.com/x"',
        '      headers: { X-Id: "{{id}}" }',
        '  u:',
        '    description: d',
        '    parameters: { id: { type: string } }',
        '    http:',
        '      url: "https://api.example.com/{{idd}}"',
        '      query: { who: "{{call.caller}}" }',
        '      body: { deep: ["{{nope}}"] }',
        '  v:',
        '    description: d',
        '    http: { url: "https://api.example.com/x", method: GET, body: {} }',
      ),
    ).toEqual([
      'agents.yaml:8:12  tools.t.http.url: a {{placeholder}} in the host: the host is written in the YAML, never taken from an argument; put arguments in the path or the query',
      'agents.yaml:9:24  tools.t.http.headers.X-Id: headers take no {{placeholders}}; send arguments in the query or the body',
      'agents.yaml:14:12  tools.u.http.url: {{idd}} names no parameter; declared parameters: id',
      'agents.yaml:15:21  tools.u.http.query.who: {{call.caller}} is not a call fact; known: {{call.from}}, {{call.to}}, {{call.sid}}, {{call.direction}}, {{call.param.NAME}}',
      'agents.yaml:16:22  tools.u.http.body.deep[0]: {{nope}} names no parameter; declared parameters: id',
      'agents.yaml:19:66  tools.v.http.body: a GET request has no body; set method: POST (or PUT, PATCH)',
    ]);
  });

  test('only http(s) URLs; a tool is one kind; sizes and timeouts are bounded', () => {
    expect(
      errors(
        'tools:',
        '  t: { description: d, http: { url: "ftp://files.example.com/x", timeout_ms: 10, max_response_bytes: 0 } }',
        '  u: { description: d, result: r, http: { url: "https://api.example.com" } }',
        '  v: { http: { url: "https://api.example.com" } }',
      ),
    ).toEqual([
      'agents.yaml:4:37  tools.t.http.url: must be an http:// or https:// URL',
      'agents.yaml:4:78  tools.t.http.timeout_ms: must be at least 100',
      'agents.yaml:4:102  tools.t.http.max_response_bytes: must be at least 1',
      'agents.yaml:5:6  tools.u: a tool is one kind; it has result and http: keep one',
      'agents.yaml:6:3  tools.v.description: missing required key "description"',
    ]);
  });

  test('the origin is literal: every URL shape a parser would read a host or port from an argument in is refused at its line', () => {
    const tool = (id: string, url: string) => [`  ${id}:`, '    description: d', '    parameters: { x: { type: string } }', `    http: { url: "${url}" }`];
    expect(
      errors(
        'tools:',
        ...tool('three', 'https:///{{x}}/a'),
        ...tool('one', 'https:/{{x}}/a'),
        ...tool('none', 'https:{{x}}/a'),
        ...tool('typo', 'http:/{{x}}:8080/a'),
        ...tool('user', 'https://{{x}}@api.example.com/a'),
        ...tool('login', 'https://ops:hunter22@api.example.com/a'),
        ...tool('port', 'https://api.example.com:{{x}}/a'),
        ...tool('glued', 'https://api.example.com{{x}}/a'),
        ...tool('slash', 'https://api.example.com\\\\{{x}}'),
        ...tool('fine', 'https://api.example.com:8443/a/{{x}}?q={{x}}#{{x}}'),
        ...tool('v6', 'http://[::1]:8080/{{x}}'),
      ),
    ).toEqual([
      'agents.yaml:7:18  tools.three.http.url: no host after "//": write the host in the YAML (https://api.example.com/path); a URL parser would skip the extra "/" and take the host from what follows, arguments included',
      'agents.yaml:11:18  tools.one.http.url: write "//" and the host right after "http:" or "https:" (https://api.example.com/path): with fewer slashes a URL parser takes the host from what follows, arguments included',
      'agents.yaml:15:18  tools.none.http.url: write "//" and the host right after "http:" or "https:" (https://api.example.com/path): with fewer slashes a URL parser takes the host from what follows, arguments included',
      'agents.yaml:19:18  tools.typo.http.url: write "//" and the host right after "http:" or "https:" (https://api.example.com/path): with fewer slashes a URL parser takes the host from what follows, arguments included',
      'agents.yaml:23:18  tools.user.http.url: a user or password before "@" in the URL: write only the host there, and send credentials in a header (Authorization: "Basic ${ORDERS_BASIC}")',
      'agents.yaml:27:18  tools.login.http.url: a user or password before "@" in the URL: write only the host there, and send credentials in a header (Authorization: "Basic ${ORDERS_BASIC}")',
      'agents.yaml:31:18  tools.port.http.url: a {{placeholder}} in the port: the port is written in the YAML, never taken from an argument; put arguments in the path or the query',
      'agents.yaml:35:18  tools.glued.http.url: a {{placeholder}} in the host: the host is written in the YAML, never taken from an argument; put arguments in the path or the query',
      'agents.yaml:39:18  tools.slash.http.url: not a host[:port] after "//": write letters, digits, "-" and "." (or [IPv6]), an optional :port, then "/" (https://api.example.com:8443/path)',
    ]);
  });

  test('a literal credential in an http tool header is a warning that never shows it', () => {
    expect(
      warnings(
        'tools:',
        '  orders:',
        '    description: d',
        '    http: { url: "https://api.example.com/x", headers: { Authorization: "Bearer abc123secret", X-Token: "${TOKEN}", Accept: text/plain } }',
      ),
    ).toEqual([
      '6:73  tools.orders.http.headers.Authorization: a literal secret in the YAML ends up in backups and version control; write "Bearer ${ORDERS_TOKEN}" and put the secret in .env',
    ]);
  });
});

describe('MCP servers', () => {
  test('one kind each, and keys that fit the kind', () => {
    expect(
      errors(
        'mcp_servers:',
        '  none: { allowed_tools: [x] }',
        '  both: { command: bun, url: "http://127.0.0.1:9/mcp" }',
        '  hosted: { hosted: true, command: bun, timeout_ms: 500 }',
        '  web: { url: "http://127.0.0.1:9/mcp", args: [x], require_approval: always }',
        '  proc: { command: bun, headers: { A: b }, optional: yes }',
      ),
    ).toEqual([
      'agents.yaml:4:9  mcp_servers.none: an MCP server needs command (a local process), url (streamable HTTP), or hosted: true with url (OpenAI connects)',
      'agents.yaml:5:9  mcp_servers.both: an MCP server is one kind; it has command and url: keep one',
      'agents.yaml:6:3  mcp_servers.hosted.url: missing required key "url"',
      'agents.yaml:6:36  mcp_servers.hosted.command: command is for servers switchboard connects to; OpenAI connects to hosted ones (remove hosted: true, or command)',
      'agents.yaml:6:53  mcp_servers.hosted.timeout_ms: timeout_ms is for servers switchboard connects to; OpenAI connects to hosted ones (remove hosted: true, or timeout_ms)',
      'agents.yaml:7:47  mcp_servers.web.args: args is for servers started with command',
      'agents.yaml:7:70  mcp_servers.web.require_approval: require_approval is for hosted servers; list the tools you trust in allowed_tools',
      'agents.yaml:8:34  mcp_servers.proc.headers: headers are for servers reached by url',
      'agents.yaml:8:54  mcp_servers.proc.optional: expected a boolean (true or false), got a string',
    ]);
  });
});

describe('guardrails and fillers', () => {
  test('a guardrail is deny_regex or deny_words, with a valid regex and a unique name', () => {
    expect(
      errors(
        'filler_after_ms: 50',
        'guardrails:',
        '  - { name: cards, deny_regex: "(\\\\d{4}", message: m }',
        '  - { name: cards, deny_words: [a], deny_regex: b, message: m }',
        '  - { name: empty, message: m }',
      ),
    ).toEqual([
      'agents.yaml:3:18  filler_after_ms: must be at least 100',
      'agents.yaml:5:32  guardrails[0].deny_regex: not a valid regular expression: missing )',
      'agents.yaml:6:5  guardrails[1]: a guardrail is one kind; it has deny_regex and deny_words: keep one',
      'agents.yaml:7:5  guardrails[2]: a guardrail needs deny_regex or deny_words',
    ]);
    expect(errors('guardrails:', '  - { name: cards, deny_words: [a], message: m }', '  - { name: cards, deny_regex: b, message: m }')).toEqual([
      'agents.yaml:5:13  guardrails[1].name: another guardrail here is named "cards"; names must differ',
    ]);
  });
});
