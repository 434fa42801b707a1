/**
 * The shapes of Responses output items and the streamed event sequence built from them,
 * as api.openai.com sends it (checked against the `openai` SDK's ResponseStream accumulator).
 */
import type { Frame } from "./exchange.ts";

export type Item =
  | { kind: "reasoning"; id: string; summary: string[] | null; encrypted: string | null }
  | { kind: "message"; id: string; parts: string[]; truncated: boolean }
  | { kind: "function_call"; id: string; callId: string; name: string; parts: string[] };

/** An output item as it is when done (`status` "completed", or "incomplete" for a cut message). */
export function finalItem(item: Item): object {
  switch (item.kind) {
    case "reasoning":
      return {
        id: item.id,
        type: "reasoning",
        summary: (item.summary ? [item.summary.join("")] : []).map((text) => ({ type: "summary_text", text })),
        ...(item.encrypted ? { encrypted_content: item.encrypted } : {}),
      };
    case "message":
      return {
        id: item.id,
        type: "message",
        status: item.truncated ? "incomplete" : "completed",
        content: [outputText(item.parts.join(""))],
        role: "assistant",
      };
    case "function_call":
      return { id: item.id, type: "function_call", status: "completed", arguments: item.parts.join(""), call_id: item.callId, name: item.name };
  }
}

const outputText = (text: string) => ({ type: "output_text", annotations: [], logprobs: [], text });

export function event(payload: Record<string, unknown> & { type: string }): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** The whole event sequence, numbered from 0, as OpenAI sends it. */
export function streamFrames(base: object, final: { status: string }, items: Item[]): Frame[] {
  const frames: Frame[] = [];
  let sequence = 0;
  const push = (payload: Record<string, unknown> & { type: string }, content = false): void => {
    frames.push({ text: event({ ...payload, sequence_number: sequence++ }), content });
  };
  push({ type: "response.created", response: base });
  push({ type: "response.in_progress", response: base });
  items.forEach((item, output_index) => {
    const item_id = item.id;
    switch (item.kind) {
      case "reasoning": {
        push({ type: "response.output_item.added", output_index, item: { id: item.id, type: "reasoning", summary: [] } });
        if (item.summary) {
          const text = item.summary.join("");
          const ids = { item_id, output_index, summary_index: 0 };
          push({ type: "response.reasoning_summary_part.added", ...ids, part: { type: "summary_text", text: "" } });
          for (const delta of item.summary) push({ type: "response.reasoning_summary_text.delta", ...ids, delta }, true);
          push({ type: "response.reasoning_summary_text.done", ...ids, text });
          push({ type: "response.reasoning_summary_part.done", ...ids, part: { type: "summary_text", text } });
        }
        break;
      }
      case "message": {
        const text = item.parts.join("");
        const ids = { item_id, output_index, content_index: 0 };
        push({
          type: "response.output_item.added",
          output_index,
          item: { id: item.id, type: "message", status: "in_progress", content: [], role: "assistant" },
        });
        push({ type: "response.content_part.added", ...ids, part: outputText("") });
        for (const delta of item.parts) push({ type: "response.output_text.delta", ...ids, delta, logprobs: [] }, true);
        push({ type: "response.output_text.done", ...ids, text, logprobs: [] });
        push({ type: "response.content_part.done", ...ids, part: outputText(text) });
        break;
      }
      case "function_call": {
        const added = { id: item.id, type: "function_call", status: "in_progress", arguments: "", call_id: item.callId, name: item.name };
        push({ type: "response.output_item.added", output_index, item: added });
        for (const delta of item.parts) push({ type: "response.function_call_arguments.delta", item_id, output_index, delta }, true);
        push({ type: "response.function_call_arguments.done", item_id, output_index, name: item.name, arguments: item.parts.join("") });
        break;
      }
    }
    push({ type: "response.output_item.done", output_index, item: finalItem(item) });
  });
  const terminal = final.status === "completed" ? "response.completed" : final.status === "failed" ? "response.failed" : "response.incomplete";
  push({ type: terminal, response: final });
  return frames;
}
