// The baseline: the Agents SDK guide's Twilio example server ("Example server using Fastify"),
// as plain JavaScript because Node 20 cannot run TypeScript. Kept as the guide writes it, so the
// benchmark compares switchboard with what a reader of the guide would deploy. Deviations, each
// needed to run it here:
//  - the upstream URL comes from OPENAI_REALTIME_URL (passed to session.connect as `url`), so the
//    benchmark's fake Realtime server stands in for OpenAI;
//  - no dotenv: the benchmark passes the environment itself (and the guide's dotenv only fills
//    variables that are unset).
// Like the guide, it connects upstream when the media stream opens: the Realtime handshake starts
// only then, and caller audio that arrives before it completes is dropped by the transport.
import Fastify from 'fastify';
import fastifyFormBody from '@fastify/formbody';
import fastifyWs from '@fastify/websocket';
import { RealtimeAgent, RealtimeSession, backgroundResult, tool } from '@openai/agents/realtime';
import { TwilioRealtimeTransportLayer } from '@openai/agents-extensions';
import { hostedMcpTool } from '@openai/agents';
import { z } from 'zod';
import process from 'node:process';

const { OPENAI_API_KEY, OPENAI_REALTIME_URL } = process.env;
if (!OPENAI_API_KEY) {
  console.error('Missing OpenAI API key. Please set it in the .env file.');
  process.exit(1);
}
const PORT = +(process.env.PORT || 5050);

const fastify = Fastify();
fastify.register(fastifyFormBody);
fastify.register(fastifyWs);

const weatherTool = tool({
  name: 'weather',
  description: 'Get the weather in a given location.',
  parameters: z.object({
    location: z.string(),
  }),
  execute: async ({ location }) => {
    return backgroundResult(`The weather in ${location} is sunny.`);
  },
});

const secretTool = tool({
  name: 'secret',
  description: 'A secret tool to tell the special number.',
  parameters: z.object({
    question: z.string().describe('The question to ask the secret tool; mainly about the special number.'),
  }),
  execute: async ({ question }) => {
    return `The answer to ${question} is 42.`;
  },
  needsApproval: true,
});

const agent = new RealtimeAgent({
  name: 'Greeter',
  instructions: 'You are a friendly assistant. When you use a tool always first say what you are about to do.',
  tools: [
    hostedMcpTool({
      serverLabel: 'deepwiki',
      serverUrl: 'https://mcp.deepwiki.com/sse',
    }),
    secretTool,
    weatherTool,
  ],
});

fastify.get('/', async (_request, reply) => {
  reply.send({ message: 'Twilio Media Stream Server is running!' });
});

fastify.all('/incoming-call', async (request, reply) => {
  const twimlResponse = `
<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say>O.K. you can start talking!</Say>
  <Connect>
    <Stream url="wss://${request.headers.host}/media-stream" />
  </Connect>
</Response>`.trim();
  reply.type('text/xml').send(twimlResponse);
});

fastify.register(async (scopedFastify) => {
  scopedFastify.get('/media-stream', { websocket: true }, async (connection) => {
    const twilioTransportLayer = new TwilioRealtimeTransportLayer({
      twilioWebSocket: connection,
    });

    const session = new RealtimeSession(agent, {
      transport: twilioTransportLayer,
      model: 'gpt-realtime',
      config: {
        audio: {
          output: {
            voice: 'verse',
          },
        },
      },
    });

    session.on('mcp_tools_changed', (tools) => {
      const toolNames = tools.map((tool) => tool.name).join(', ');
      console.log(`Available MCP tools: ${toolNames || 'None'}`);
    });

    session.on('tool_approval_requested', (_context, _agent, approvalRequest) => {
      console.log(`Approving tool call for ${approvalRequest.approvalItem.rawItem.name}.`);
      session
        .approve(approvalRequest.approvalItem)
        .catch((error) => console.error('Failed to approve tool call.', error));
    });

    session.on('mcp_tool_call_completed', (_context, _agent, toolCall) => {
      console.log('MCP tool call completed.', toolCall);
    });

    await session.connect({
      apiKey: OPENAI_API_KEY,
      url: OPENAI_REALTIME_URL,
    });
    console.log('Connected to the OpenAI Realtime API');
  });
});

fastify.listen({ port: PORT }, (err) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`Server is listening on port ${PORT}`);
});

process.on('SIGINT', () => {
  fastify.close();
  process.exit(0);
});
