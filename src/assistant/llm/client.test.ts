import { afterEach, describe, expect, it } from 'vitest';
import { LlmClient } from './client.js';
import { readLlmConfig, type LlmConfig } from './config.js';
import { LlmError } from './messages.js';
import { scriptedClient, startScriptedLlm, type ScriptedLlm, type ScriptStep } from './test-llm-server.js';
import { chatWithTools } from './tool-loop.js';

let server: ScriptedLlm | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: readonly ScriptStep[], over: Partial<LlmConfig> = {}): Promise<LlmClient> {
  return scriptedClient((server = await startScriptedLlm(script)), { maxRetries: 2, ...over });
}

const hello = [{ role: 'user' as const, content: 'Hello' }];

describe('readLlmConfig', () => {
  it('is undefined without a base URL, and names the variable that is wrong', () => {
    expect(readLlmConfig({})).toBeUndefined();
    expect(() => readLlmConfig({ SHOPSIGHT_LLM_BASE_URL: 'http://x/v1' })).toThrow(
      /SHOPSIGHT_LLM_MODEL is required/,
    );
    expect(() => readLlmConfig({ SHOPSIGHT_LLM_BASE_URL: 'not a url', SHOPSIGHT_LLM_MODEL: 'm' })).toThrow(
      /SHOPSIGHT_LLM_BASE_URL: 'not a url' is not a URL/,
    );
    expect(() =>
      readLlmConfig({
        SHOPSIGHT_LLM_BASE_URL: 'http://x/v1',
        SHOPSIGHT_LLM_MODEL: 'm',
        SHOPSIGHT_LLM_RETRIES: '-1',
      }),
    ).toThrow(/SHOPSIGHT_LLM_RETRIES/);
    const c = readLlmConfig({
      SHOPSIGHT_LLM_BASE_URL: 'http://x/v1',
      SHOPSIGHT_LLM_MODEL: 'm',
      SHOPSIGHT_LLM_REDACT: 'off',
    });
    expect(c).toMatchObject({
      baseUrl: 'http://x/v1',
      model: 'm',
      apiKey: 'none',
      maxRetries: 2,
      redactPersonalData: false,
    });
  });
});

describe('LlmClient', () => {
  it('returns the text and the token counts the endpoint reported, and sums them', async () => {
    const llm = await clientFor([{ reply: 'Hi there' }, { reply: 'Again' }]);
    const r = await llm.chat({ messages: hello });
    expect(r.content).toBe('Hi there');
    expect(r.model).toBe('scripted-model');
    // The scripted server counts ceil(chars/4): the messages JSON is 35 chars -> 9, 'Hi there' -> 2.
    expect(JSON.stringify(server!.chatRequests()[0]!.body.messages)).toHaveLength(35);
    expect(r.usage).toEqual({ promptTokens: 9, completionTokens: 2, totalTokens: 11 });
    await llm.chat({ messages: hello });
    expect(llm.totals).toEqual({ calls: 2, promptTokens: 18, completionTokens: 4, callsWithoutUsage: 0 });
  });

  it('streams the text piece by piece and reassembles streamed tool calls', async () => {
    const llm = await clientFor([
      { reply: 'A streamed answer of some length' },
      { toolCalls: [{ name: 'order_status', arguments: { order_id: '536365' } }] },
    ]);
    const pieces: string[] = [];
    const r = await llm.chat({ messages: hello, onDelta: (t) => pieces.push(t) });
    expect(pieces.length).toBe(5); // 32 characters in pieces of 7
    expect(pieces.join('')).toBe('A streamed answer of some length');
    expect(r.content).toBe('A streamed answer of some length');
    expect(r.usage?.completionTokens).toBe(8);
    const t = await llm.chat({ messages: hello, onDelta: () => {} });
    expect(t.toolCalls).toEqual([
      { id: 'call_0_order_status', name: 'order_status', arguments: '{"order_id":"536365"}' },
    ]);
    expect(t.finishReason).toBe('tool_calls');
  });

  it('retries 429 and 500 with backoff and then succeeds', async () => {
    const llm = await clientFor([{ status: 429 }, { status: 500 }, { reply: 'ok' }]);
    const r = await llm.chat({ messages: hello });
    expect(r.content).toBe('ok');
    expect(server!.chatRequests()).toHaveLength(3);
  });

  it('gives up after the retries with a rate-limit error, and does not retry a 400', async () => {
    const llm = await clientFor([{ status: 429 }, { status: 429 }, { status: 429 }, { status: 400 }]);
    await expect(llm.chat({ messages: hello })).rejects.toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(server!.chatRequests()).toHaveLength(3);
    await expect(llm.chat({ messages: hello })).rejects.toMatchObject({ kind: 'http', status: 400 });
    expect(server!.chatRequests()).toHaveLength(4);
  });

  it('times out on an endpoint that never answers', async () => {
    const llm = await clientFor([{ hang: true }, { hang: true }], { timeoutMs: 150, maxRetries: 1 });
    const err = await llm.chat({ messages: hello }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect((err as Error).message).toMatch(/did not answer in time/);
    expect(server!.chatRequests()).toHaveLength(2);
  });

  it('calls garbage garbage: HTML, JSON that is no completion, broken JSON', async () => {
    const llm = await clientFor([
      { garbage: '<html>proxy error</html>', contentType: 'text/html' },
      { garbage: '{"hello": "world"}' },
      { garbage: '{"choices": [' },
    ]);
    await expect(llm.chat({ messages: hello })).rejects.toThrow(/not a chat completion: <html>proxy error/);
    await expect(llm.chat({ messages: hello })).rejects.toThrow(/not a chat completion: \{"hello":"world"\}/);
    await expect(llm.chat({ messages: hello })).rejects.toMatchObject({ kind: 'garbage' });
  });

  it('asks for a JSON schema reply, falls back to JSON mode on a 400, and rejects a non-JSON reply', async () => {
    const llm = await clientFor([
      { reply: '{"sql": "SELECT 1"}' },
      { status: 400 },
      { reply: '```json\n{"sql": "SELECT 2"}\n```' },
      { reply: 'I think the answer is SELECT 3' },
    ]);
    const schema = { name: 'sql', schema: { type: 'object', properties: { sql: { type: 'string' } } } };
    const a = await llm.chatJson<{ sql: string }>({ messages: hello, jsonSchema: schema });
    expect(a.value.sql).toBe('SELECT 1');
    expect(server!.chatRequests()[0]!.body.response_format?.type).toBe('json_schema');
    const b = await llm.chatJson<{ sql: string }>({ messages: hello, jsonSchema: schema });
    expect(b.value.sql).toBe('SELECT 2');
    expect(server!.chatRequests()[2]!.body.response_format?.type).toBe('json_object');
    await expect(llm.chatJson({ messages: hello, jsonSchema: schema })).rejects.toThrow(/reply is not JSON/);
  });

  it('embeds texts in order, and refuses without an embeddings model', async () => {
    const llm = await clientFor([], { embeddingsModel: 'e' });
    const [a, b] = await llm.embed(['aaa', 'b']);
    expect(Array.from(a!.slice(0, 2))).toEqual([1, 0]);
    expect(Array.from(b!.slice(0, 2))).toEqual([0, 1]);
    const none = new LlmClient({ ...llm.config, embeddingsModel: undefined });
    await expect(none.embed(['x'])).rejects.toThrow(/SHOPSIGHT_EMBEDDINGS_MODEL/);
  });
});

describe('chatWithTools', () => {
  it('runs the tools the model asks for, sends the results back, and returns the final answer', async () => {
    const llm = await clientFor([
      {
        toolCalls: [
          { name: 'add', arguments: { a: 2, b: 3 } },
          { name: 'nope', arguments: {} },
        ],
      },
      { reply: 'The sum is 5' },
    ]);
    const add = {
      spec: { name: 'add', description: 'adds', parameters: { type: 'object' } },
      run: async (args: Record<string, unknown>) => String(Number(args['a']) + Number(args['b'])),
    };
    const r = await chatWithTools(llm, { messages: hello }, [add]);
    expect(r.reply.content).toBe('The sum is 5');
    expect(r.calls.map((c) => [c.name, c.result, c.ok])).toEqual([
      ['add', '5', true],
      ['nope', 'error: no tool named nope; tools: add', false],
    ]);
    const second = server!.chatRequests()[1]!.body.messages!;
    expect(second.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      '5',
      'error: no tool named nope; tools: add',
    ]);
  });

  it('stops a model that only calls tools after the round limit, offering no tools on the last round', async () => {
    const call = { toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] };
    const llm = await clientFor([call, call, { reply: 'done' }]);
    const add = {
      spec: { name: 'add', description: 'adds', parameters: { type: 'object' } },
      run: async () => '2',
    };
    const r = await chatWithTools(llm, { messages: hello }, [add], 2);
    expect(r.reply.content).toBe('done');
    expect(server!.chatRequests()[2]!.body.tools).toBeUndefined();
  });
});
