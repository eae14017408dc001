export {
  configSchema,
  type Config,
  type AgentConfig,
  type ToolConfig,
  type ParamConfig,
  type McpServerConfig,
  type FallbackConfig,
  type LimitsConfig,
} from './schema.ts';
export { ConfigErrors, type ConfigError } from './errors.ts';
export { loadConfig, parseConfig } from './load.ts';
export { configJsonSchema } from './json-schema.ts';
