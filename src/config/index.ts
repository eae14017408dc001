// The config room's front door: what the rest of the server needs of agents.yaml (load it, its
// types, its errors and notices, the JSON Schema). Inside: load.ts runs the stages; schema/ holds
// the zod schemas (the shape of the file); diagnostics/ turns what is wrong or doubtful into lines
// with FILE:LINE:COL; models.ts, retired-models.ts and voices.ts are what is known of OpenAI's names.
export {
  configSchema,
  type Config,
  type AgentConfig,
  type ToolConfig,
  type ParamConfig,
  type McpServerConfig,
  type FallbackConfig,
  type LimitsConfig,
  type ReasoningConfig,
  type DtmfConfig,
  type OutboundConfig,
  type TransferConfig,
} from './schema/schema.ts';
export { ConfigErrors, formatError, formatNotice, type ConfigError, type ConfigNotice, type Severity } from './diagnostics/errors.ts';
export { loadConfig, parseConfig, type LoadedConfig, type LoadOptions } from './load.ts';
export { configJsonSchema } from './json-schema.ts';
export { API_DEFAULT_REASONING_EFFORT, DEFAULT_REALTIME_MODEL, REASONING_EFFORTS, type ReasoningEffort } from './models.ts';
