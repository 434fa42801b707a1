"use client";
/**
 * One conversation column of the playground: its messages, the answer streaming in, its
 * stop button, and each answer's stats (provider, TTFT, tokens, cost).
 */
import { useCallback, useRef, useState } from "react";
import { buildChatRequest, type ChatTurn, type ColumnSettings } from "@/lib/playground/chat-request";
import type { ChatStreamEvent } from "@/lib/playground/chat-stream";
import { PlaygroundCallError, streamPlaygroundChat } from "./playground-client";

export type AnswerStats = {
  provider: string | null;
  requestId: string | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** USD, a decimal string */
  cost: string | null;
  finishReason: string | null;
};

export type PlaygroundMessage =
  | { id: string; role: "user"; content: string }
  | { id: string; role: "assistant"; content: string; state: "streaming" | "done" | "stopped" | "error"; error: string | null; stats: AnswerStats };

const emptyStats = (): AnswerStats => ({
  provider: null,
  requestId: null,
  ttftMs: null,
  promptTokens: null,
  completionTokens: null,
  cost: null,
  finishReason: null,
});

let nextId = 0;
const newId = () => `m${++nextId}`;

/** The turns sent as history: user messages and the answers that produced text. */
function historyOf(messages: readonly PlaygroundMessage[]): ChatTurn[] {
  return messages.filter((m) => m.role === "user" || (m.state !== "error" && m.content)).map((m) => ({ role: m.role, content: m.content }));
}

export function usePlaygroundChat() {
  const [messages, setMessages] = useState<PlaygroundMessage[]>([]);
  const controller = useRef<AbortController | null>(null);
  const streaming = messages.some((m) => m.role === "assistant" && m.state === "streaming");

  const send = useCallback(
    async (settings: ColumnSettings, systemPrompt: string, text: string) => {
      const user: PlaygroundMessage = { id: newId(), role: "user", content: text };
      const answerId = newId();
      const history = [...historyOf(messages), { role: "user" as const, content: text }];
      setMessages((current) => [...current, user, { id: answerId, role: "assistant", content: "", state: "streaming", error: null, stats: emptyStats() }]);
      const update = (change: (answer: Extract<PlaygroundMessage, { role: "assistant" }>) => Partial<Extract<PlaygroundMessage, { role: "assistant" }>>) =>
        setMessages((current) => current.map((m) => (m.id === answerId && m.role === "assistant" ? { ...m, ...change(m) } : m)));

      const abort = new AbortController();
      controller.current = abort;
      const startedAt = performance.now();
      const onEvent = (event: ChatStreamEvent) => {
        if (event.kind === "text")
          update((a) => ({
            content: a.content + event.text,
            stats: a.stats.ttftMs === null ? { ...a.stats, ttftMs: Math.round(performance.now() - startedAt) } : a.stats,
          }));
        else if (event.kind === "usage")
          update((a) => ({
            stats: { ...a.stats, promptTokens: event.usage.promptTokens, completionTokens: event.usage.completionTokens, cost: event.usage.cost },
          }));
        else if (event.kind === "finish") update((a) => ({ stats: { ...a.stats, finishReason: event.reason } }));
        else update(() => ({ state: "error", error: event.message }));
      };
      try {
        await streamPlaygroundChat(
          buildChatRequest(settings, systemPrompt, history),
          abort.signal,
          (headers) => update((a) => ({ stats: { ...a.stats, ...headers } })),
          onEvent,
        );
        update((a) => (a.state === "streaming" ? { state: "done" } : {}));
      } catch (error) {
        if (abort.signal.aborted) update(() => ({ state: "stopped" }));
        else if (error instanceof PlaygroundCallError)
          update((a) => ({ state: "error", error: error.message, stats: { ...a.stats, requestId: error.requestId } }));
        else update(() => ({ state: "error", error: `The connection failed: ${(error as Error).message}` }));
      } finally {
        if (controller.current === abort) controller.current = null;
      }
    },
    [messages],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const clear = useCallback(() => {
    controller.current?.abort();
    setMessages([]);
  }, []);

  return { messages, streaming, send, stop, clear };
}
