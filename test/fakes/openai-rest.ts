// A fake of the OpenAI REST API's model lookup (`GET /v1/models/{model}`) on loopback, for doctor.
// Answers in the real shapes: the Model object (with `shutdown_date`), and the error envelope with
// the real codes for a wrong key (401 invalid_api_key) and a model the key cannot see (404
// model_not_found). A wrong key's real message quotes part of the key; so does this one, so a test
// can prove doctor never repeats it.

export interface FakeModel {
  /** YYYY-MM-DD, or null when none is announced (the field is present either way). */
  shutdown_date?: string | null;
}

export interface FakeOpenAIRest {
  /** REST base URL, as OPENAI_BASE_URL takes it (ends in /v1). */
  readonly baseUrl: string;
  /** Paths requested, in order, with the Authorization header they carried. */
  readonly requests: { path: string; authorization: string | null }[];
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const error = (status: number, message: string, code: string, param: string | null = null) =>
  Response.json({ error: { message, type: 'invalid_request_error', param, code } }, { status });

export function startFakeOpenAIRest(options: { apiKey: string; models: Record<string, FakeModel> }): FakeOpenAIRest {
  const requests: FakeOpenAIRest['requests'] = [];
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    routes: {
      '/v1/models/:model': (req) => {
        const authorization = req.headers.get('authorization');
        requests.push({ path: new URL(req.url).pathname, authorization });
        if (req.method !== 'GET') return error(405, 'Method not allowed', 'method_not_allowed');
        if (authorization !== `Bearer ${options.apiKey}`) {
          const given = authorization?.replace(/^Bearer /, '') ?? '';
          return error(401, `Incorrect API key provided: ${given.slice(0, 3)}****${given.slice(-4)}.`, 'invalid_api_key');
        }
        const id = req.params.model;
        const model = options.models[id];
        if (model === undefined) return error(404, `The model '${id}' does not exist or you do not have access to it.`, 'model_not_found', 'model');
        return Response.json({ id, object: 'model', created: 1_756_339_200, owned_by: 'system', shutdown_date: model.shutdown_date ?? null });
      },
    },
    fetch: () => error(404, 'Unknown request URL', 'unknown_url'),
  });
  const stop = async () => void (await server.stop(true));
  return { baseUrl: `http://127.0.0.1:${server.port}/v1`, requests, stop, [Symbol.asyncDispose]: stop };
}
