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
} from './schema.ts';
export { ConfigErrors, formatError, formatNotice, type ConfigError, type ConfigNotice } from './errors.ts';
export { loadConfig, parseConfig, type LoadedConfig, type LoadOptions } from './load.ts';
export { configJsonSchema } from './json-schema.ts';
export { API_DEFAULT_REASONING_EFFORT, DEFAULT_REALTIME_MODEL, REASONING_EFFORTS, type ReasoningEffort } from './models.ts';
