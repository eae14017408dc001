// `switchboard check`: loads and compiles agents.yaml as serve would, without the network, and says
// what it understood (the counts, each agent, each section that is not at its defaults) or every
// error with its FILE:LINE:COL (exit 1). --date judges model shutdowns as of another day.
import { compileAgents, describeAgentSet } from '../agents/compile.ts';
import { formatNotice, loadConfig } from '../config/index.ts';
import { defineCommand } from './command.ts';
import { CONFIG_FLAG, configFile, DATE_FLAG, day } from './common-flags.ts';
import { describeSections } from './summary.ts';

export const checkCommand = defineCommand({
  name: 'check',
  about: 'validate agents.yaml and say what it sets up; --date judges model shutdowns as of that day',
  flags: { config: CONFIG_FLAG, date: DATE_FLAG },
  async run({ flags, env }) {
    const file = configFile(flags.config);
    const { config, notices } = await loadConfig(file, env, { today: day(flags.date) });
    const agentSet = compileAgents(config);
    if (notices.length > 0) process.stderr.write(`${notices.map(formatNotice).join('\n')}\n`);
    const errors = notices.filter((n) => n.severity === 'error').length;
    if (errors > 0) {
      process.stderr.write(`${errors} error(s); fix them and run again.\n`);
      return 1;
    }
    const c = agentSet.config;
    const details = [...describeAgentSet(agentSet), ...describeSections(c)];
    process.stdout.write(
      `${file}: ok: ${Object.keys(c.agents).length} agents, ${Object.keys(c.tools).length} tools, ` +
        `${Object.keys(c.mcp_servers).length} MCP servers; model ${agentSet.model}\n` +
        details.map((line) => `  ${line}\n`).join(''),
    );
    return 0;
  },
});
