/**
 * The playground's only network code: POST a Chat Completions body to the console's
 * playground route (session cookie, same origin; the server adds the short-lived key) and
 * read the streamed answer. A refused call throws PlaygroundCallError with the gateway's message.
 */
import { createChatStreamReader, describeGatewayError, type ChatStreamEvent } from "@/lib/playground/chat-stream";
import type { PlaygroundChatBody } from "@/lib/playground/chat-request";

export const PLAYGROUND_CHAT_URL = "/api/console/playground/chat";

export class PlaygroundCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

/** What the answer's headers say before its first token: who served it and its id. */
export type AnswerHeaders = { provider: string | null; requestId: string | null };

export async function streamPlaygroundChat(
  body: PlaygroundChatBody,
  signal: AbortSignal,
  onHeaders: (headers: AnswerHeaders) => void,
  onEvent: (event: ChatStreamEvent) => void,
): Promise<void> {
  const response = await fetch(PLAYGROUND_CHAT_URL, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
    signal,
  });
  const requestId = response.headers.get("x-request-id");
  if (!response.ok || !response.body) {
    const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new PlaygroundCallError(describeGatewayError(response.status, payload?.error?.message), response.status, requestId);
  }
  onHeaders({ provider: response.headers.get("x-switchyard-provider"), requestId });
  const reader = createChatStreamReader(onEvent);
  const decoder = new TextDecoder();
  const stream = response.body.getReader();
  for (;;) {
    const { done, value } = await stream.read();
    if (done) break;
    reader.feed(decoder.decode(value, { stream: true }));
  }
}
