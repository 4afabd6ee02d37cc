/**
 * @module assistant/llm/tool-loop
 * Lets the model call tools until it answers: each round, the calls it asks for run here (arguments
 * parsed and checked by the tool itself, never trusted), their results go back as tool messages,
 * and the model is asked again. A round limit stops a model that only ever calls tools.
 */
import type { LlmClient } from './client.js';
import type { ChatMessage, ChatReply, ChatRequest, ToolSpec } from './messages.js';

export interface Tool {
  readonly spec: ToolSpec;
  /** The result as text for the model; throw for bad arguments (the message goes back to the model). */
  run(args: Record<string, unknown>): Promise<string>;
}

export interface ToolTrace {
  readonly name: string;
  readonly arguments: string;
  readonly result: string;
  readonly ok: boolean;
}

export interface ToolLoopResult {
  readonly reply: ChatReply;
  readonly calls: readonly ToolTrace[];
  /** Every message of the conversation, the final answer excluded. */
  readonly messages: readonly ChatMessage[];
}

export async function chatWithTools(
  llm: LlmClient,
  request: Omit<ChatRequest, 'tools'>,
  tools: readonly Tool[],
  maxRounds = 4,
): Promise<ToolLoopResult> {
  const byName = new Map(tools.map((t) => [t.spec.name, t]));
  const messages: ChatMessage[] = [...request.messages];
  const calls: ToolTrace[] = [];
  for (let round = 0; ; round++) {
    const last = round === maxRounds;
    // The last round offers no tools, so the model has to answer with what it has.
    const reply = await llm.chat({
      ...request,
      messages,
      ...(last ? {} : { tools: tools.map((t) => t.spec) }),
    });
    if (!reply.toolCalls.length || last) return { reply, calls, messages };
    messages.push({ role: 'assistant', content: reply.content, toolCalls: reply.toolCalls });
    for (const call of reply.toolCalls) {
      const tool = byName.get(call.name);
      let result: string;
      let ok = false;
      try {
        if (!tool) throw new Error(`no tool named ${call.name}; tools: ${[...byName.keys()].join(', ')}`);
        const args: unknown = JSON.parse(call.arguments || '{}');
        if (typeof args !== 'object' || args === null || Array.isArray(args)) {
          throw new Error('the arguments must be a JSON object');
        }
        result = await tool.run(args as Record<string, unknown>);
        ok = true;
      } catch (err) {
        result = `error: ${(err as Error).message}`;
      }
      calls.push({ name: call.name, arguments: call.arguments, result, ok });
      messages.push({ role: 'tool', toolCallId: call.id, content: result });
    }
  }
}
