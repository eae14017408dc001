// `switchboard schema`: the JSON Schema of agents.yaml, which agents.schema.json holds for editors.
import { configJsonSchema } from '../config/index.ts';
import { defineCommand } from './command.ts';

export const schemaCommand = defineCommand({
  name: 'schema',
  about: 'print the JSON Schema of agents.yaml',
  flags: {},
  async run() {
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    return 0;
  },
});
