/**
 * @module assistant/llm/client
 * Chat completions and embeddings from any OpenAI-compatible endpoint (OpenAI, DeepSeek,
 * Qwen/DashScope, Ollama, vLLM, llama.cpp) through the `openai` package, which brings the
 * protocol, streaming (SSE), per-request timeouts and retries with exponential backoff on
 * 408/409/429/5xx and connection errors, honouring Retry-After. This module adds what the package
 * leaves to the caller: checking that a reply really is a chat completion (a proxy's HTML page is
 * not), token counts per call and in total, tool calls assembled from streamed pieces, and a JSON
 * schema reply that falls back to JSON mode on endpoints without structured output.
 *
 * @example
 *   const llm = new LlmClient(readLlmConfig()!);
 *   const r = await llm.chat({ messages: [{ role: 'user', content: 'Hello' }], onDelta: (t) => process.stdout.write(t) });
 *   r.usage; // { promptTokens: 9, completionTokens: 12, totalTokens: 21 }
 */
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { LlmConfig } from './config.js';
import {
  LlmError,
  type ChatMessage,
  type ChatReply,
  type ChatRequest,
  type TokenUsage,
  type ToolCall,
} from './messages.js';

/** Calls and tokens a client has used since it was made (what a run cost). */
export interface UsageTotals {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Calls whose endpoint reported no token counts. */
  callsWithoutUsage: number;
}

export class LlmClient {
  private readonly api: OpenAI;
  private readonly embeddingsApi: OpenAI;
  readonly totals: UsageTotals = { calls: 0, promptTokens: 0, completionTokens: 0, callsWithoutUsage: 0 };

  constructor(readonly config: LlmConfig) {
    const common = { apiKey: config.apiKey, timeout: config.timeoutMs, maxRetries: config.maxRetries };
    this.api = new OpenAI({ ...common, baseURL: config.baseUrl });
    this.embeddingsApi = config.embeddingsBaseUrl
      ? new OpenAI({ ...common, baseURL: config.embeddingsBaseUrl })
      : this.api;
  }

  get model(): string {
    return this.config.model;
  }

  get hasEmbeddings(): boolean {
    return Boolean(this.config.embeddingsModel);
  }

  async chat(request: ChatRequest): Promise<ChatReply> {
    const params: ChatCompletionCreateParamsBase = {
      model: this.config.model,
      messages: request.messages.map(toApiMessage),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.tools?.length
        ? {
            tools: request.tools.map((t) => ({
              type: 'function' as const,
              function: { name: t.name, description: t.description, parameters: { ...t.parameters } },
            })),
          }
        : {}),
      ...(request.jsonSchema
        ? {
            response_format: {
              type: 'json_schema' as const,
              json_schema: {
                name: request.jsonSchema.name,
                schema: { ...request.jsonSchema.schema },
                strict: true,
              },
            },
          }
        : {}),
    };
    const reply = await this.send(params, request.onDelta).catch(async (err: unknown) => {
      // Endpoints without structured output answer 400 to json_schema: ask for JSON mode instead,
      // with the schema in the prompt (the caller validates the reply either way).
      if (request.jsonSchema && err instanceof LlmError && err.status === 400) {
        const schemaNote = `Reply with one JSON object only, matching this JSON schema: ${JSON.stringify(request.jsonSchema.schema)}`;
        return this.send(
          {
            ...params,
            messages: [...params.messages, { role: 'system', content: schemaNote }],
            response_format: { type: 'json_object' },
          },
          request.onDelta,
        );
      }
      throw err;
    });
    this.totals.calls += 1;
    if (reply.usage) {
      this.totals.promptTokens += reply.usage.promptTokens;
      this.totals.completionTokens += reply.usage.completionTokens;
    } else this.totals.callsWithoutUsage += 1;
    return reply;
  }

  /** Chat with a JSON-schema reply, parsed; a reply that is not JSON is an LlmError('garbage'). */
  async chatJson<T>(request: ChatRequest & { jsonSchema: NonNullable<ChatRequest['jsonSchema']> }): Promise<{
    value: T;
    reply: ChatReply;
  }> {
    const reply = await this.chat(request);
    const text = stripCodeFence(reply.content);
    try {
      return { value: JSON.parse(text) as T, reply };
    } catch {
      throw new LlmError('garbage', `the model's reply is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
    }
  }

  /** One vector per text, in order; needs SHOPSIGHT_EMBEDDINGS_MODEL. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const model = this.config.embeddingsModel;
    if (!model) throw new Error('no embeddings model is set (SHOPSIGHT_EMBEDDINGS_MODEL)');
    const out: Float32Array[] = [];
    // Endpoints cap the inputs per request (OpenAI: 2048); 256 keeps every known one happy.
    for (let i = 0; i < texts.length; i += 256) {
      const batch = texts.slice(i, i + 256);
      const res = (await this.embeddingsApi.embeddings
        .create({ model, input: [...batch], encoding_format: 'float' })
        .catch(translateError)) as unknown;
      const data = (res as { data?: unknown } | null)?.data;
      if (!Array.isArray(data) || data.length !== batch.length) {
        throw new LlmError('garbage', `the embeddings endpoint did not return ${batch.length} vectors`);
      }
      const sorted = [...(data as { index?: number; embedding?: unknown }[])].sort(
        (a, b) => (a.index ?? 0) - (b.index ?? 0),
      );
      for (const d of sorted) {
        if (!Array.isArray(d.embedding) || d.embedding.some((v) => typeof v !== 'number')) {
          throw new LlmError('garbage', 'the embeddings endpoint returned a vector that is not numbers');
        }
        out.push(Float32Array.from(d.embedding as number[]));
      }
    }
    return out;
  }

  private async send(
    params: ChatCompletionCreateParamsBase,
    onDelta: ((text: string) => void) | undefined,
  ): Promise<ChatReply> {
    if (!onDelta) {
      const res = (await this.api.chat.completions
        .create({ ...params, stream: false })
        .catch(translateError)) as unknown;
      return readCompletion(res);
    }
    const stream = await this.api.chat.completions
      .create({ ...params, stream: true, stream_options: { include_usage: true } })
      .catch(translateError);
    return readStream(stream, onDelta).catch(translateError);
  }
}

function toApiMessage(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return {
      role: 'assistant',
      content: m.content || null,
      tool_calls: m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    };
  }
  return { role: m.role, content: m.content };
}

/** A non-streamed reply, checked field by field: anything else is the endpoint's garbage. */
function readCompletion(res: unknown): ChatReply {
  const r = res as {
    choices?: { message?: { content?: unknown; tool_calls?: unknown }; finish_reason?: unknown }[];
    model?: unknown;
    usage?: unknown;
  } | null;
  const choice = typeof r === 'object' && r !== null && Array.isArray(r.choices) ? r.choices[0] : undefined;
  if (!choice || typeof choice.message !== 'object' || choice.message === null) {
    const shown = typeof res === 'string' ? res : JSON.stringify(res);
    throw new LlmError(
      'garbage',
      `the endpoint's reply is not a chat completion: ${(shown ?? '').slice(0, 120)}`,
    );
  }
  const content = choice.message.content;
  if (content !== null && content !== undefined && typeof content !== 'string') {
    throw new LlmError('garbage', "the endpoint's reply has a message content that is not text");
  }
  const toolCalls: ToolCall[] = [];
  const rawCalls = choice.message.tool_calls;
  if (rawCalls !== undefined && rawCalls !== null) {
    if (!Array.isArray(rawCalls)) throw new LlmError('garbage', "the endpoint's tool_calls is not a list");
    for (const c of rawCalls as { id?: unknown; function?: { name?: unknown; arguments?: unknown } }[]) {
      if (typeof c?.function?.name !== 'string')
        throw new LlmError('garbage', 'a tool call without a function name');
      toolCalls.push({
        id: typeof c.id === 'string' ? c.id : `call_${toolCalls.length}`,
        name: c.function.name,
        arguments: typeof c.function.arguments === 'string' ? c.function.arguments : '{}',
      });
    }
  }
  const usage = readUsage(r!.usage);
  return {
    content: content ?? '',
    toolCalls,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'stop',
    model: typeof r!.model === 'string' ? r!.model : '',
    ...(usage ? { usage } : {}),
  };
}

async function readStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  onDelta: (text: string) => void,
): Promise<ChatReply> {
  let content = '';
  let finishReason = 'stop';
  let model = '';
  let usage: TokenUsage | undefined;
  let chunks = 0;
  // Tool calls arrive in pieces keyed by index: the id and name first, the arguments in fragments.
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const chunk of stream) {
    if (typeof chunk !== 'object' || chunk === null)
      throw new LlmError('garbage', 'a streamed chunk is not an object');
    chunks += 1;
    if (typeof chunk.model === 'string') model = chunk.model;
    usage = readUsage(chunk.usage) ?? usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    if (choice.finish_reason) finishReason = choice.finish_reason;
    const text = choice.delta?.content;
    if (typeof text === 'string' && text) {
      content += text;
      onDelta(text);
    }
    for (const piece of choice.delta?.tool_calls ?? []) {
      const call = calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.name += piece.function.name;
      if (piece.function?.arguments) call.arguments += piece.function.arguments;
      calls.set(piece.index, call);
    }
  }
  if (chunks === 0) throw new LlmError('garbage', 'the endpoint closed the stream without a chunk');
  const toolCalls = [...calls.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, c]) => ({ id: c.id || `call_${i}`, name: c.name, arguments: c.arguments || '{}' }));
  return { content, toolCalls, finishReason, model, ...(usage ? { usage } : {}) };
}

function readUsage(u: unknown): TokenUsage | undefined {
  const x = u as
    { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown } | null | undefined;
  if (!x || typeof x.prompt_tokens !== 'number' || typeof x.completion_tokens !== 'number') return undefined;
  return {
    promptTokens: x.prompt_tokens,
    completionTokens: x.completion_tokens,
    totalTokens: typeof x.total_tokens === 'number' ? x.total_tokens : x.prompt_tokens + x.completion_tokens,
  };
}

/** The package's errors as LlmError with a message naming the cause (after its retries ran out). */
function translateError(err: unknown): never {
  if (err instanceof LlmError) throw err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    throw new LlmError('timeout', 'the language model endpoint did not answer in time (after retries)');
  }
  if (err instanceof OpenAI.RateLimitError) {
    throw new LlmError(
      'rate_limited',
      'the language model endpoint kept answering 429 (rate limited) after retries',
      429,
    );
  }
  if (err instanceof OpenAI.APIConnectionError) {
    throw new LlmError('connection', `cannot reach the language model endpoint: ${err.message}`);
  }
  if (err instanceof OpenAI.APIError) {
    throw new LlmError(
      'http',
      `the language model endpoint answered ${err.status}: ${err.message}`,
      err.status,
    );
  }
  if (err instanceof SyntaxError) {
    throw new LlmError('garbage', `the endpoint's reply is not valid JSON: ${err.message}`);
  }
  throw err;
}

function stripCodeFence(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(text);
  return (m ? m[1]! : text).trim();
}
