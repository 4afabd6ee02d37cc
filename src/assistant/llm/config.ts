/**
 * @module assistant/llm/config
 * Which OpenAI-compatible endpoint the assistant talks to, read from the environment. No base URL
 * means no endpoint: every assistant feature then runs retrieval-only (or from templates) and says so.
 *
 * @example
 *   SHOPSIGHT_LLM_BASE_URL=http://localhost:11434/v1 SHOPSIGHT_LLM_MODEL=qwen2.5:7b  # a local Ollama
 *   readLlmConfig(process.env); // { baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5:7b', ... }
 */

export interface LlmConfig {
  /** Chat-completions base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  readonly baseUrl: string;
  readonly model: string;
  /** Local servers (Ollama, vLLM, llama.cpp) take any key; the client still sends one. */
  readonly apiKey: string;
  /** One request's time limit (a retry gets a fresh one). */
  readonly timeoutMs: number;
  /** Retries on 408/409/429/5xx and on connection errors, with exponential backoff (Retry-After honoured). */
  readonly maxRetries: number;
  /** Embeddings model on the same endpoint (or SHOPSIGHT_EMBEDDINGS_BASE_URL); none: BM25 alone. */
  readonly embeddingsModel?: string;
  readonly embeddingsBaseUrl?: string;
  /** Personal data is redacted before text leaves for the endpoint unless the merchant sets this off. */
  readonly redactPersonalData: boolean;
}

export const LLM_ENV = {
  baseUrl: 'SHOPSIGHT_LLM_BASE_URL',
  model: 'SHOPSIGHT_LLM_MODEL',
  apiKey: 'SHOPSIGHT_LLM_API_KEY',
  timeoutMs: 'SHOPSIGHT_LLM_TIMEOUT_MS',
  maxRetries: 'SHOPSIGHT_LLM_RETRIES',
  embeddingsModel: 'SHOPSIGHT_EMBEDDINGS_MODEL',
  embeddingsBaseUrl: 'SHOPSIGHT_EMBEDDINGS_BASE_URL',
  redact: 'SHOPSIGHT_LLM_REDACT',
} as const;

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 2;

/** The endpoint set in `env`, undefined when none is; a half-set or malformed one is an error naming the variable. */
export function readLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const baseUrl = env[LLM_ENV.baseUrl]?.trim();
  if (!baseUrl) return undefined;
  try {
    new URL(baseUrl);
  } catch {
    throw new Error(`${LLM_ENV.baseUrl}: '${baseUrl}' is not a URL (e.g. http://localhost:11434/v1)`);
  }
  const model = env[LLM_ENV.model]?.trim();
  if (!model) throw new Error(`${LLM_ENV.model} is required when ${LLM_ENV.baseUrl} is set`);
  const redact = (env[LLM_ENV.redact] ?? 'on').trim().toLowerCase();
  if (!['on', 'off'].includes(redact)) throw new Error(`${LLM_ENV.redact}: '${redact}' is not on or off`);
  const embeddingsModel = env[LLM_ENV.embeddingsModel]?.trim();
  const embeddingsBaseUrl = env[LLM_ENV.embeddingsBaseUrl]?.trim();
  return {
    baseUrl,
    model,
    apiKey: env[LLM_ENV.apiKey]?.trim() || 'none',
    timeoutMs: positiveInt(env, LLM_ENV.timeoutMs, DEFAULT_TIMEOUT_MS, 1),
    maxRetries: positiveInt(env, LLM_ENV.maxRetries, DEFAULT_RETRIES, 0),
    ...(embeddingsModel ? { embeddingsModel } : {}),
    ...(embeddingsBaseUrl ? { embeddingsBaseUrl } : {}),
    redactPersonalData: redact === 'on',
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: '${raw}' is not a whole number >= ${min}`);
  return n;
}
