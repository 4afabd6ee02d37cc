/**
 * @module assistant/llm/messages
 * The chat shapes the assistant speaks, independent of the client package: what goes in (messages,
 * tool declarations, an optional JSON schema) and what comes back (text, tool calls, token counts).
 */

export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

/** A function the model may call; `parameters` is a JSON schema of its arguments object. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the model wrote them (JSON text, not yet trusted). */
  readonly arguments: string;
}

/** Tokens one call used, as the endpoint reported them (undefined when it reports none). */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  /** Ask for a reply that is one JSON value of this schema (structured output). */
  readonly jsonSchema?: { readonly name: string; readonly schema: Readonly<Record<string, unknown>> };
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Given: the reply is streamed and each piece of text is handed here as it arrives. */
  readonly onDelta?: (text: string) => void;
}

export interface ChatReply {
  readonly content: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: string;
  readonly model: string;
  readonly usage?: TokenUsage;
}

/** Why a call failed, in words a merchant can act on; `kind` lets callers fall back per cause. */
export type LlmErrorKind = 'timeout' | 'rate_limited' | 'http' | 'connection' | 'garbage';

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
