/**
 * Chat Completions chunks → the OpenAI Responses event sequence, for a Responses client
 * served by a Chat upstream (or by a Messages upstream through chat-over-messages-stream.ts:
 * Chat is the hub). Pure: one translator per response, fed the upstream's SSE events in
 * order; it returns the events to write to the client, each with `event:` and a
 * `sequence_number` counted from 0, as api.openai.com sends them:
 *
 *   response.created, response.in_progress,
 *   per item: response.output_item.added, (message) content_part.added, output_text.delta*,
 *   output_text.done, content_part.done | (function_call) function_call_arguments.delta*,
 *   .done | (reasoning) reasoning_summary_part.added, reasoning_summary_text.delta*, .done,
 *   reasoning_summary_part.done; then response.output_item.done,
 *   response.completed | response.incomplete (usage) — or error + response.failed.
 *
 * A reasoning or message item closes when another item opens; tool calls stay open to the
 * end (Chat may interleave their argument fragments, and every Responses delta names its
 * output_index, so the SDK's accumulator and Codex follow either way).
 */
import type { SseEvent } from "../../sse.ts";
import {
  functionCallItem,
  isRecord,
  messageItem,
  outputText,
  reasoningItem,
  responseObject,
  statusForFinish,
  usageToResponses,
  type ResponseShape,
} from "../openai-responses/response-object.ts";
import { encryptedContentOf, reasoningDetailsOf } from "./reasoning-details.ts";
import { itemId } from "./responses-over-chat.ts";

type Json = Record<string, unknown>;
type Item = {
  kind: "reasoning" | "message" | "function_call";
  id: string;
  index: number;
  fragments: string[];
  callId?: string;
  name?: string;
  done: boolean;
  /** a reasoning item with a summary part (one made for a signature or redacted thinking alone has none) */
  summary?: boolean;
  /** signed Anthropic reasoning, kept for the next request (reasoning-details.ts) */
  encrypted?: string;
};

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

export interface ResponsesStreamTranslator {
  push(event: SseEvent): SseEvent[];
  finish(): SseEvent[];
  /** The stream broke off after the first byte: the failure events, in sequence. */
  fail(message: string, code?: string): SseEvent[];
}

class ChatToResponsesStream implements ResponsesStreamTranslator {
  private sequence = 0;
  private started = false;
  private closed = false;
  private readonly items: Item[] = [];
  private reasoning: Item | null = null;
  private message: Item | null = null;
  private readonly tools = new Map<number, Item>();
  private finishReason: string | null = null;
  private usage: Json | null = null;

  constructor(private readonly shape: ResponseShape) {}

  push(sse: SseEvent): SseEvent[] {
    if (this.closed) return [];
    const data = sse.data.trim();
    if (data === "[DONE]")
      return this.finishReason === null && !this.usage ? this.fail("The provider's stream ended without finishing the answer") : this.end();
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return this.fail("The provider sent an unreadable stream event");
    }
    if (!isRecord(chunk)) return [];
    if (isRecord(chunk.error))
      return this.fail(
        `The provider's stream failed: ${text(chunk.error.message) || "an error"}`,
        text(chunk.error.code) || text(chunk.error.type) || undefined,
      );
    const out = this.start();
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : [];
    const choice = choices.find((c) => count(c.index) === 0);
    if (!choice) return out;
    out.push(...this.delta(isRecord(choice.delta) ? choice.delta : {}));
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
    return out;
  }

  finish(): SseEvent[] {
    if (this.closed) return [];
    return this.finishReason === null ? this.fail("The provider's stream ended early") : this.end();
  }

  fail(message: string, code = "server_error"): SseEvent[] {
    if (this.closed) return [];
    const out = this.start();
    this.closed = true;
    const error = { code, message };
    out.push(this.event("error", { code, message, param: null }));
    out.push(
      this.event("response.failed", {
        response: responseObject(this.shape, "failed", this.finalItems(), { error, usage: this.usage ? usageToResponses(this.usage) : null }),
      }),
    );
    return out;
  }

  private event(type: string, payload: Json): SseEvent {
    return { event: type, data: JSON.stringify({ type, ...payload, sequence_number: this.sequence++ }) };
  }

  private start(): SseEvent[] {
    if (this.started) return [];
    this.started = true;
    const response = responseObject(this.shape, "in_progress", []);
    return [this.event("response.created", { response }), this.event("response.in_progress", { response })];
  }

  private delta(delta: Json): SseEvent[] {
    const out: SseEvent[] = [];
    const reasoning = text(delta.reasoning_content) || text(delta.reasoning);
    if (reasoning) out.push(...this.reasoningDelta(reasoning));
    for (const detail of reasoningDetailsOf(delta)) {
      // Only a signature (or redacted data) ends an item: an unsigned detail adds nothing to send back.
      const sealed = encryptedContentOf(detail);
      if (sealed) out.push(...this.sealReasoning(sealed, detail.type === "reasoning.text"));
    }
    if (text(delta.content)) out.push(...this.textDelta(text(delta.content)));
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls.filter(isRecord) : []) {
      const fn = isRecord(call.function) ? call.function : {};
      out.push(...this.toolDelta(count(call.index), text(call.id), text(fn.name), text(fn.arguments)));
    }
    return out;
  }

  private open(kind: Item["kind"], extra: Partial<Item> = {}): Item {
    const prefix = kind === "reasoning" ? "rs" : kind === "message" ? "msg" : "fc";
    const item: Item = { kind, id: itemId(this.shape.id, prefix, this.items.length), index: this.items.length, fragments: [], done: false, ...extra };
    this.items.push(item);
    return item;
  }

  /** A reasoning item opens (after the open message, if any, closed). */
  private openReasoning(): SseEvent[] {
    const out = this.closeMessage();
    const item = (this.reasoning = this.open("reasoning"));
    return [...out, this.event("response.output_item.added", { output_index: item.index, item: reasoningItem(item.id, null) })];
  }

  private reasoningDelta(fragment: string): SseEvent[] {
    const out: SseEvent[] = [];
    if (!this.reasoning) out.push(...this.openReasoning());
    const item = this.reasoning!;
    if (!item.summary) {
      item.summary = true;
      out.push(
        this.event("response.reasoning_summary_part.added", {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          part: { type: "summary_text", text: "" },
        }),
      );
    }
    item.fragments.push(fragment);
    out.push(this.event("response.reasoning_summary_text.delta", { item_id: item.id, output_index: item.index, summary_index: 0, delta: fragment }));
    return out;
  }

  /**
   * A thinking block's signature ends its reasoning item (the next block is another item);
   * redacted thinking is an item of its own, with no summary.
   */
  private sealReasoning(encrypted: string, ofCurrent: boolean): SseEvent[] {
    const out: SseEvent[] = [];
    if (!ofCurrent) out.push(...this.closeReasoning());
    if (!this.reasoning) out.push(...this.openReasoning());
    this.reasoning!.encrypted = encrypted;
    out.push(...this.closeReasoning());
    return out;
  }

  private textDelta(fragment: string): SseEvent[] {
    const out: SseEvent[] = [];
    if (!this.message) {
      out.push(...this.closeReasoning());
      const item = (this.message = this.open("message"));
      out.push(
        this.event("response.output_item.added", {
          output_index: item.index,
          item: { id: item.id, type: "message", status: "in_progress", content: [], role: "assistant" },
        }),
      );
      out.push(this.event("response.content_part.added", { item_id: item.id, output_index: item.index, content_index: 0, part: outputText("") }));
    }
    const item = this.message;
    item.fragments.push(fragment);
    out.push(this.event("response.output_text.delta", { item_id: item.id, output_index: item.index, content_index: 0, delta: fragment, logprobs: [] }));
    return out;
  }

  private toolDelta(index: number, callId: string, name: string, fragment: string): SseEvent[] {
    const out: SseEvent[] = [];
    let item = this.tools.get(index);
    if (!item) {
      out.push(...this.closeReasoning(), ...this.closeMessage());
      item = this.open("function_call", { callId, name });
      this.tools.set(index, item);
      out.push(this.event("response.output_item.added", { output_index: item.index, item: functionCallItem(item.id, callId, name, "", "in_progress") }));
    }
    if (fragment) {
      item.fragments.push(fragment);
      out.push(this.event("response.function_call_arguments.delta", { item_id: item.id, output_index: item.index, delta: fragment }));
    }
    return out;
  }

  private closeReasoning(): SseEvent[] {
    const item = this.reasoning;
    if (!item) return [];
    this.reasoning = null;
    item.done = true;
    const summary = item.fragments.join("");
    const ids = { item_id: item.id, output_index: item.index, summary_index: 0 };
    const parts = item.summary
      ? [
          this.event("response.reasoning_summary_text.done", { ...ids, text: summary }),
          this.event("response.reasoning_summary_part.done", { ...ids, part: { type: "summary_text", text: summary } }),
        ]
      : [];
    return [...parts, this.event("response.output_item.done", { output_index: item.index, item: this.finalItem(item) })];
  }

  private closeMessage(): SseEvent[] {
    const item = this.message;
    if (!item) return [];
    this.message = null;
    item.done = true;
    const all = item.fragments.join("");
    const ids = { item_id: item.id, output_index: item.index, content_index: 0 };
    return [
      this.event("response.output_text.done", { ...ids, text: all, logprobs: [] }),
      this.event("response.content_part.done", { ...ids, part: outputText(all) }),
      this.event("response.output_item.done", { output_index: item.index, item: this.finalItem(item) }),
    ];
  }

  private closeTool(item: Item): SseEvent[] {
    item.done = true;
    const out: SseEvent[] = [];
    // A call without arguments still needs parseable ones.
    if (item.fragments.length === 0) {
      item.fragments.push("{}");
      out.push(this.event("response.function_call_arguments.delta", { item_id: item.id, output_index: item.index, delta: "{}" }));
    }
    out.push(
      this.event("response.function_call_arguments.done", { item_id: item.id, output_index: item.index, name: item.name, arguments: item.fragments.join("") }),
    );
    out.push(this.event("response.output_item.done", { output_index: item.index, item: this.finalItem(item) }));
    return out;
  }

  private finalItem(item: Item): Json {
    const all = item.fragments.join("");
    if (item.kind === "reasoning")
      return { ...reasoningItem(item.id, item.summary ? all : null), ...(item.encrypted ? { encrypted_content: item.encrypted } : {}) };
    // Cut short (max tokens, a content filter): the message is as incomplete as the response, as in the JSON answer.
    if (item.kind === "message")
      return messageItem(item.id, all, !item.done || statusForFinish(this.finishReason).status === "incomplete" ? "incomplete" : "completed");
    return functionCallItem(item.id, item.callId ?? "", item.name ?? "", all, item.done ? "completed" : "in_progress");
  }

  private finalItems(): Json[] {
    return this.items.map((item) => this.finalItem(item));
  }

  private end(): SseEvent[] {
    const out = [...this.start(), ...this.closeReasoning(), ...this.closeMessage()];
    for (const item of this.tools.values()) out.push(...this.closeTool(item));
    this.closed = true;
    const { status, incomplete } = statusForFinish(this.finishReason);
    const response = responseObject(this.shape, status, this.finalItems(), {
      incomplete_details: incomplete,
      usage: this.usage ? usageToResponses(this.usage) : null,
    });
    out.push(this.event(status === "completed" ? "response.completed" : "response.incomplete", { response }));
    return out;
  }
}

export function createChatToResponsesStream(shape: ResponseShape): ResponsesStreamTranslator {
  return new ChatToResponsesStream(shape);
}
