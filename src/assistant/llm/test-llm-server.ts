/**
 * @module assistant/llm/test-llm-server
 * A local HTTP server speaking the OpenAI chat-completions and embeddings protocol, for tests only:
 * it answers from a script (text, tool calls, a status such as 429 or 500, garbage, a hang), with
 * or without streaming, and records every request so a test can check what was sent (the prompt,
 * the tools, whether personal data was redacted). Listens on 127.0.0.1, port 0. No test calls the
 * internet.
 *
 * @example
 *   const llm = await startScriptedLlm([{ status: 429 }, { reply: 'Hello' }]);
 *   // SHOPSIGHT_LLM_BASE_URL = llm.baseUrl ... then: await llm.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LlmClient } from './client.js';
import type { LlmConfig } from './config.js';

/** One scripted answer. */
export type ScriptStep =
  | { readonly reply: string; readonly toolCalls?: undefined }
  | {
      readonly toolCalls: readonly { readonly name: string; readonly arguments: unknown }[];
      readonly reply?: string;
    }
  /** An HTTP error with an OpenAI-style error body; 429 carries retry-after-ms so tests stay fast. */
  | { readonly status: number; readonly retryAfterMs?: number }
  /** 200 with a body that is not a chat completion. */
  | { readonly garbage: string; readonly contentType?: string }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { readonly hang: true };

/** Decides the step from the request instead of a fixed list. */
export type ScriptFn = (request: RecordedRequest) => ScriptStep;

export interface RecordedRequest {
  readonly path: string;
  readonly body: {
    model?: string;
    messages?: { role: string; content: string | null; tool_calls?: unknown; tool_call_id?: string }[];
    tools?: { function: { name: string } }[];
    stream?: boolean;
    response_format?: { type: string };
    input?: string[];
  };
}

export interface ScriptedLlm {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Requests to /chat/completions only. */
  chatRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export interface ScriptedLlmOptions {
  /** Vector for one embeddings input (default: a 26-dim bag of letters, enough to rank by overlap). */
  readonly embed?: (text: string) => number[];
  readonly model?: string;
}

export async function startScriptedLlm(
  script: readonly ScriptStep[] | ScriptFn,
  options: ScriptedLlmOptions = {},
): Promise<ScriptedLlm> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let next = 0;
  const model = options.model ?? 'scripted-model';
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const body = (raw ? JSON.parse(raw) : {}) as RecordedRequest['body'];
      const recorded: RecordedRequest = { path: req.url ?? '', body };
      requests.push(recorded);
      if (req.url?.endsWith('/embeddings')) {
        const embed = options.embed ?? letterBag;
        return sendJson(res, 200, {
          object: 'list',
          model,
          data: (body.input ?? []).map((t, index) => ({ object: 'embedding', index, embedding: embed(t) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
      }
      const step = typeof script === 'function' ? script(recorded) : script[next++];
      if (!step)
        return sendJson(res, 500, { error: { message: 'the script has no step left', type: 'test' } });
      answer(res, step, body, model, hanging);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function answer(
  res: ServerResponse,
  step: ScriptStep,
  body: RecordedRequest['body'],
  model: string,
  hanging: Set<ServerResponse>,
): void {
  if ('hang' in step) {
    hanging.add(res);
    return;
  }
  if ('garbage' in step) {
    res.writeHead(200, { 'content-type': step.contentType ?? 'application/json' });
    res.end(step.garbage);
    return;
  }
  if ('status' in step) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
    else headers['retry-after-ms'] = '5';
    res.writeHead(step.status, headers);
    res.end(JSON.stringify({ error: { message: `scripted ${step.status}`, type: 'scripted', code: null } }));
    return;
  }
  const toolCalls = (step.toolCalls ?? []).map((c, i) => ({
    id: `call_${i}_${c.name}`,
    type: 'function',
    function: {
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    },
  }));
  const content = step.reply ?? (toolCalls.length ? null : '');
  const promptChars = JSON.stringify(body.messages ?? []).length;
  const usage = {
    prompt_tokens: Math.ceil(promptChars / 4),
    completion_tokens: Math.ceil((content ?? '').length / 4) + toolCalls.length,
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const finish = toolCalls.length ? 'tool_calls' : 'stop';
  if (!body.stream) {
    sendJson(res, 200, {
      id: 'chatcmpl-scripted',
      object: 'chat.completion',
      created: 0,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
          finish_reason: finish,
        },
      ],
      usage,
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: unknown, finishReason: string | null = null): void => {
    res.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
    );
  };
  chunk({ role: 'assistant', content: '' });
  // Text in pieces of up to 7 characters, tool arguments in two halves: the client must reassemble.
  for (let i = 0; content && i < content.length; i += 7) chunk({ content: content.slice(i, i + 7) });
  toolCalls.forEach((c, index) => {
    const args = c.function.arguments;
    const half = Math.floor(args.length / 2);
    chunk({
      tool_calls: [
        {
          index,
          id: c.id,
          type: 'function',
          function: { name: c.function.name, arguments: args.slice(0, half) },
        },
      ],
    });
    chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  chunk({}, finish);
  res.write(
    `data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', () => ok(Buffer.concat(parts).toString('utf8')));
    req.on('error', fail);
  });
}

/** 26 letter counts, normalised: texts sharing words get close vectors. */
function letterBag(text: string): number[] {
  const v = new Array<number>(26).fill(0);
  for (const ch of text.toLowerCase()) {
    const i = ch.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) v[i]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** A client of the scripted server: no retries unless asked, a 2 s timeout, redaction on. */
export function scriptedClient(server: ScriptedLlm, over: Partial<LlmConfig> = {}): LlmClient {
  return new LlmClient({
    baseUrl: server.baseUrl,
    model: 'm',
    apiKey: 'k',
    timeoutMs: 2000,
    maxRetries: 0,
    redactPersonalData: true,
    ...over,
  });
}
