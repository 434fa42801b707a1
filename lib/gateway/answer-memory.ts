/**
 * Keeping answers for later calls, for surfaces that do (OpenAI Responses' `store` and
 * `previous_response_id`; surfaces/types.ts SurfaceMemory), through the ResponseStore port.
 *
 * Read-your-writes without a write on the answer's path: an answer is announced to the
 * store (begin) before the client can see its id (before a JSON answer is returned,
 * before a stream's final event is written), and the row is written afterwards; a read of
 * an announced id waits for that write. So a client that continues the moment it has the
 * answer finds it on this instance, and the answer never waits for the database. Only a
 * served answer is kept: a stream that fails after its final event, or an error, drops it.
 */
import type { GatewayDeps, KeptResponse, PendingResponse, StoredConversation } from "./ports/gateway-deps.ts";
import type { RequestContext } from "./settle.ts";
import type { SseEvent } from "./sse.ts";
import type { ClientSurface } from "./surfaces/types.ts";

/** The stored conversation a request body continues (null: it continues none); an id this account cannot use is a 404. */
export async function recallConversation(surface: ClientSurface, deps: GatewayDeps, body: unknown, userId: string): Promise<StoredConversation | null> {
  const memory = surface.memory;
  const id = memory?.continuesFrom(body) ?? null;
  if (!memory || id === null) return null;
  const conversation = (await deps.responses?.conversation(id, userId)) ?? null;
  if (!conversation) throw memory.notFound(id);
  return conversation;
}

/** The row for a served answer's final response object, or null when the client asked not to keep it. */
function keptResponse(ctx: RequestContext, surface: ClientSurface, response: Record<string, unknown>): KeptResponse | null {
  const kept = surface.memory?.toKeep(ctx.parsed, response);
  if (!kept || typeof response.id !== "string") return null;
  const model = typeof response.model === "string" ? response.model : ctx.parsed.model;
  return { ...kept, id: response.id, userId: ctx.principal.userId, apiKeyId: ctx.principal.keyId, model, createdAt: new Date(ctx.receivedAt) };
}

/** A JSON answer, served and charged: kept before it is returned (the write itself runs after). */
export function keepJsonAnswer(ctx: RequestContext, surface: ClientSurface, payload: Record<string, unknown>): void {
  const store = ctx.deps.responses;
  if (!store || !surface.memory) return;
  const kept = keptResponse(ctx, surface, payload);
  if (kept) store.begin(kept.id).keep(kept);
}

export type StreamMemory = {
  /** Every client event, before it is written: the final one announces the answer. */
  observe(event: SseEvent): void;
  /** The stream settled: keep the answer when it was served, else drop it. */
  settle(served: boolean): void;
};

/** For a relayed stream, or null when nothing of it can be kept. */
export function streamMemory(ctx: RequestContext, surface: ClientSurface): StreamMemory | null {
  const store = ctx.deps.responses;
  const memory = surface.memory;
  if (!store || !memory) return null;
  let pending: PendingResponse | null = null;
  let kept: KeptResponse | null = null;
  return {
    observe(event) {
      if (pending) return;
      const response = memory.finalResponse(event);
      if (!response) return;
      kept = keptResponse(ctx, surface, response);
      if (kept) pending = store.begin(kept.id);
    },
    settle(served) {
      if (!pending) return;
      if (served && kept) pending.keep(kept);
      else pending.drop();
    },
  };
}
