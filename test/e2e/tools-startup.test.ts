// `serve` as a process, with what its tools need from outside the YAML: local MCP servers it cannot
// reach (a required one stops it before it listens, at the server's YAML line; an optional one is a
// warning and the agents run without it), tool names that clash, a signing secret that is missing.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { runCli, runServe, scratchDir } from '../cli.ts';
import { startFakeRealtime } from '../fakes/realtime-server.ts';
import { startHttpMcp } from '../fakes/mcp-server.ts';

const SERVER = join(import.meta.dir, '../fakes/mcp-server.ts');

/** A loopback URL nothing answers. */
function closedUrl(): string {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const url = `http://127.0.0.1:${server.port}/mcp`;
  server.stop(true);
  return url;
}

function yaml(servers: string): string {
  return ['agents:', '  desk: { instructions: Help., mcp_servers: [gone, web] }', 'mcp_servers:', servers].join('\n');
}

const ENV = { OPENAI_API_KEY: 'sk-test-mcp', HOST: '127.0.0.1', OPENAI_REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime', LOG_FORMAT: 'text' };

test('required servers that cannot be reached stop serve, each at its line', async () => {
  const url = closedUrl();
  const dir = scratchDir({
    'agents.yaml': yaml(['  gone:', '    command: /nonexistent/mcp-server', `  web: { url: "${url}?key=never-shown", headers: { Authorization: "Bearer \${WEB_TOKEN}" } }`].join('\n')),
  });
  const r = await runCli(['serve', '--insecure', '--port', '0'], { ...ENV, WEB_TOKEN: 't0ken-never-shown' }, dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    [
      "agents.yaml:4:3  mcp_servers.gone: could not start the MCP server (/nonexistent/mcp-server): ENOENT: no such file or directory, posix_spawn '/nonexistent/mcp-server'; fix it, or set optional: true to serve without it",
      // With a query in the URL the SDK redacts its own error (a key can ride there), cause included.
      `agents.yaml:6:3  mcp_servers.web: could not connect to the MCP server at ${url}: MCP streamable HTTP connect failed for ${url}; configured endpoint credentials were redacted.; fix it, or set optional: true to serve without it`,
      '2 error(s); fix them and run again.',
      '',
    ].join('\n'),
  );
  expect(r.stdout).not.toContain('listening');
  expect(r.stdout + r.stderr).not.toContain('never-shown');
});

test('optional servers that cannot be reached are warnings; serve answers with the servers it could reach', async () => {
  await using realtime = await startFakeRealtime();
  const mcp = startHttpMcp();
  const down = closedUrl();
  const dir = scratchDir({
    'agents.yaml': [
      'agents:',
      '  desk: { instructions: Help., mcp_servers: [gone, local, web, down] }',
      'mcp_servers:',
      '  gone: { command: /nonexistent/mcp-server, optional: true }',
      `  local: { command: "${process.execPath}", args: ["${SERVER}"], allowed_tools: [lookup_order, hang] }`,
      `  web: { url: "${mcp.url}", optional: true, allowed_tools: [broken] }`,
      `  down: { url: "${down}", optional: true }`,
    ].join('\n'),
  });
  const r = await runServe(['--insecure', '--port', '0'], { ...ENV, OPENAI_REALTIME_URL: realtime.url }, dir, (out) => out.includes('listening'));
  await mcp.server.stop(true);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    "WARN  agents.yaml:4:3  mcp_servers.gone: could not start the MCP server (/nonexistent/mcp-server): ENOENT: no such file or directory, posix_spawn '/nonexistent/mcp-server'; optional, so the agents run without it",
  );
  expect(r.stderr).toContain(
    `WARN  agents.yaml:7:3  mcp_servers.down: could not connect to the MCP server at ${down}: Version negotiation probe failed: ECONNREFUSED: Unable to connect. Is the computer able to access the url?; optional, so the agents run without it`,
  );
  expect(r.stdout).toMatch(/mcp server connected server=local tools=lookup_order,broken,hang,delete_everything/);
  expect(r.stdout).toMatch(/mcp server connected server=web tools=lookup_order,broken,hang,delete_everything/);
  expect(r.stdout).toContain('listening');
});

test('a server tool named like one of the agent\'s tools stops serve: every call would fail', async () => {
  const dir = scratchDir({
    'agents.yaml': [
      'agents:',
      '  desk:',
      '    instructions: Help.',
      '    tools: [lookup_order]',
      '    mcp_servers: [local]',
      'tools:',
      '  lookup_order: { description: Ours., result: "Ours." }',
      'mcp_servers:',
      `  local: { command: "${process.execPath}", args: ["${SERVER}"], allowed_tools: [lookup_order, hang] }`,
    ].join('\n'),
  });
  const r = await runCli(['serve', '--insecure', '--port', '0'], ENV, dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    'agents.yaml:5:19  agents.desk.mcp_servers[0]: the local server\'s tool "lookup_order" has the same name as tools.lookup_order; leave one out (allowed_tools) or rename it\n1 error(s); fix them and run again.\n',
  );
});

test('sign: true without TOOL_SIGNING_SECRET stops serve at the key', async () => {
  const dir = scratchDir({
    'agents.yaml': ['agents:', '  desk: { instructions: Help., tools: [note] }', 'tools:', '  note:', '    description: Note.', '    http: { url: "https://hooks.example.com/n", sign: true }'].join('\n'),
  });
  const r = await runCli(['serve', '--insecure', '--port', '0'], ENV, dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    'agents.yaml:6:49  tools.note.http.sign: sign: true needs TOOL_SIGNING_SECRET in the environment (or .env); the receiver checks signatures with the same secret\n1 error(s); fix them and run again.\n',
  );
});
