// An MCP server is one of three kinds, told apart by its keys: `hosted: true` + `url` (OpenAI
// connects to it), `command` (a local process on stdio) or `url` alone (streamable HTTP). The
// local kinds are connected once at startup and shared by every call.
import { z } from 'zod';
import { fillerAfterMs } from './tool-schema.ts';

export const DEFAULT_MCP_TIMEOUT_MS = 10_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys that only mean something for a server switchboard connects to itself. */
const LOCAL_ONLY = ['command', 'args', 'env', 'cwd', 'timeout_ms', 'cache_tools_list', 'optional', 'filler_after_ms'] as const;
const STDIO_ONLY = ['args', 'env', 'cwd'] as const;

export const mcpServerSchema = z
  .strictObject({
    hosted: z.literal(true, { error: 'must be true' }).optional().describe('OpenAI connects to the server itself (url required).'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional()
      .describe('Server URL: hosted, or a streamable HTTP server switchboard connects to.'),
    command: z.string().min(1, { error: 'must not be empty' }).optional().describe('Start a local server with this program (stdio).'),
    args: z.array(z.string()).optional().describe('Arguments of `command`.'),
    env: z.record(z.string(), z.string()).optional().describe('Environment of `command` (added to PATH, HOME and the like); use ${…} for secrets.'),
    cwd: z.string().optional().describe('Working directory of `command`.'),
    headers: z.record(z.string(), z.string()).optional().describe('HTTP headers sent to the server, e.g. Authorization.'),
    allowed_tools: z.array(z.string()).optional().describe('Only expose these tools of the server.'),
    require_approval: z.enum(['never', 'always']).default('never').describe('Hosted servers: whether calls to this server need approval.'),
    timeout_ms: z
      .number()
      .int({ error: 'must be a whole number of milliseconds' })
      .min(100, { error: 'must be at least 100' })
      .max(300_000, { error: 'must be at most 300000' })
      .optional()
      .describe(`Local servers: a tool call not answered within this long is a tool error (default ${DEFAULT_MCP_TIMEOUT_MS}).`),
    cache_tools_list: z.boolean().optional().describe('Local servers: list the tools once, not at every call (default true).'),
    optional: z.boolean().optional().describe('Local servers: if it cannot be reached at startup, warn and serve without it.'),
    filler_after_ms: fillerAfterMs.optional().describe('Local servers: the filler delay for this server\'s tools (overrides the global one).'),
  })
  // Runs even when a sibling field is invalid; hence the defensive reads.
  .superRefine(
    (server, ctx) => {
      const has = (key: string) => server[key as keyof typeof server] !== undefined;
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: path === '' ? [] : [path], message });
      if (server.hosted === true) {
        if (!has('url')) issue('url', 'missing required key "url"');
        for (const key of LOCAL_ONLY) {
          if (has(key)) issue(key, `${key} is for servers switchboard connects to; OpenAI connects to hosted ones (remove hosted: true, or ${key})`);
        }
        return;
      }
      if (has('command') && has('url')) issue('', 'an MCP server is one kind; it has command and url: keep one');
      else if (!has('command') && !has('url')) {
        issue('', 'an MCP server needs command (a local process), url (streamable HTTP), or hosted: true with url (OpenAI connects)');
      }
      if (server.require_approval === 'always') issue('require_approval', 'require_approval is for hosted servers; list the tools you trust in allowed_tools');
      if (has('url')) for (const key of STDIO_ONLY) if (has(key)) issue(key, `${key} is for servers started with command`);
      if (has('command') && has('headers')) issue('headers', 'headers are for servers reached by url');
    },
    { when: ({ value }) => isRecord(value) },
  )
  .describe('An MCP server whose tools agents can use: hosted (OpenAI connects), a local command (stdio) or a url (streamable HTTP).');

export type McpServerConfig = z.output<typeof mcpServerSchema>;

/** How switchboard reaches a server: OpenAI does (hosted), a child process, or HTTP. */
export function mcpKind(server: McpServerConfig): 'hosted' | 'stdio' | 'http' {
  if (server.hosted === true) return 'hosted';
  return server.command !== undefined ? 'stdio' : 'http';
}
