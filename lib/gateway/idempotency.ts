/**
 * Idempotency-Key with the meaning clients know from Stripe and OpenAI-style APIs. The
 * first request with a key claims it; a retry with the same key and the same request
 * (surface and exact body bytes) within 24 hours gets the first answer replayed, or a
 * 409 while the first still runs; the same key with another request is a 422. Only a
 * served answer is kept: a request that failed, or a stream that was cut or abandoned,
 * gives its claim back, so a retry runs anew. Charges never depend on the key (each
 * generation is charged under its own id), so reusing a key cannot make a call free.
 */
import { createHash } from "node:crypto";
import { GatewayError } from "./errors.ts";
import { isStreamBody, type Answer, type HeaderLookup, type StreamBody } from "./exchange.ts";
import type { IdempotencyRecordView, IdempotencyStore, StoredAnswer } from "./ports/gateway-deps.ts";
import type { RequestDrain } from "./request-drain.ts";

export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
/** A running claim lasts this long unless renewed, so a crashed instance frees its keys within a minute. */
export const CLAIM_LOCK_MS = 60_000;
const RENEW_EVERY_MS = 20_000;
export const DEFAULT_IDEMPOTENCY_MAX_BYTES = 1024 * 1024;
const MAX_KEY_LENGTH = 255;

/** What a replay carries besides the body; rate-limit headers are left out, as they would be stale. */
const REPLAYED_HEADERS = /^(content-type|cache-control|x-accel-buffering|x-request-id|x-switchyard-.+)$/;

/** The trimmed Idempotency-Key header, null without one; 400 naming the header when it is unusable. */
export function readIdempotencyKey(request: { headers: HeaderLookup }): string | null {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return null;
  const key = raw.trim();
  if (!key || key.length > MAX_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key)) {
    throw new GatewayError(400, "invalid_params", `The Idempotency-Key header must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters`, "Idempotency-Key");
  }
  return key;
}

/** The request a key names: the surface (so the other endpoint is another request) and the exact body bytes. */
export function idempotencyRequestHash(api: string, body: Uint8Array): string {
  return createHash("sha256").update(`${api}\n`).update(body).digest("hex");
}

type Opening = {
  request: { headers: HeaderLookup };
  api: string;
  userId: string;
  body: Uint8Array;
  generationId: string;
  now: () => number;
  maxBytes?: number;
  drain?: RequestDrain;
};

/**
 * Before rate limits, holds or any upstream call: null without a key; the stored answer
 * for a retry of a served request; otherwise this request's claim. Throws the 400, 409
 * and 422 refusals as GatewayErrors, for the surface to format.
 */
export async function openIdempotency(store: IdempotencyStore, opening: Opening): Promise<Answer | IdempotencySession | null> {
  const key = readIdempotencyKey(opening.request);
  if (key === null) return null;
  const requestHash = idempotencyRequestHash(opening.api, opening.body);
  const at = opening.now();
  const claim = { userId: opening.userId, key, generationId: opening.generationId };
  const result = await store.claim({
    ...claim,
    requestHash,
    now: new Date(at),
    expiresAt: new Date(at + IDEMPOTENCY_WINDOW_MS),
    lockExpiresAt: new Date(at + CLAIM_LOCK_MS),
  });
  // The claim counts as in flight until it is closed, so a graceful stop waits for the answer to be kept.
  if (result.claimed)
    return new IdempotencySession(store, claim, opening.now, opening.maxBytes ?? DEFAULT_IDEMPOTENCY_MAX_BYTES, opening.drain?.begin() ?? (() => undefined));
  if (result.record.requestHash !== requestHash) {
    throw new GatewayError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was used for a different request (another body or endpoint) in the last 24 hours; send a new request with a new key",
      "Idempotency-Key",
    );
  }
  if (result.record.state === "running") {
    throw new GatewayError(
      409,
      "idempotency_request_in_progress",
      "A request with this Idempotency-Key is still running; retry once it has finished to get its answer",
      "Idempotency-Key",
      { "retry-after": "1" },
    );
  }
  return replay(result.record);
}

function replay(record: IdempotencyRecordView): Answer {
  const answer = record.answer!;
  if (!answer.body) {
    throw new GatewayError(
      409,
      "idempotency_answer_not_stored",
      `The request with this Idempotency-Key was served as ${record.generationId}, but its answer was too large to keep for a replay; its record is at /api/v1/generation?id=${record.generationId}. Use a new key for a new answer`,
      "Idempotency-Key",
    );
  }
  return { status: answer.status, headers: { ...answer.headers, "idempotent-replayed": "true" }, body: Buffer.from(answer.body) };
}

function replayedHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (REPLAYED_HEADERS.test(name)) kept[name] = value;
  return kept;
}

/** One request's claim on a key: renewed while it runs, then completed with the answer or released. */
export class IdempotencySession {
  private served: boolean | null = null;
  private readonly outcome: Promise<boolean>;
  private reportOutcome!: (served: boolean) => void;
  private closing: Promise<void> | null = null;
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly claim: { userId: string; key: string; generationId: string },
    private readonly now: () => number,
    private readonly maxBytes: number,
    private readonly inFlight: () => void,
  ) {
    this.outcome = new Promise((resolve) => (this.reportOutcome = resolve));
    this.renewal = setInterval(() => {
      this.store
        .renew({ ...this.claim, lockExpiresAt: new Date(this.now() + CLAIM_LOCK_MS) })
        .then((held) => held || clearInterval(this.renewal))
        .catch((error: Error) => console.error(`idempotency: renewing ${this.claim.generationId}'s claim failed: ${error.message}`));
    }, RENEW_EVERY_MS);
    this.renewal.unref();
  }

  /** settle() reports, once the charge is durable, whether an answer was served in full. */
  settled(served: boolean): void {
    this.served = served;
    this.reportOutcome(served);
    // A failure, a cut stream or a client that left: nothing to replay, so a retry runs anew
    // (a cut stream was charged for what it produced; the retry is a new call). Replaying half
    // an answer would leave the client stuck with it for 24 hours: an SSE stream cannot resume.
    if (!served) void this.release();
  }

  /** The response for the client, after the answer is kept (JSON) or set to be kept as it streams. */
  async finish(response: Answer): Promise<Answer> {
    // A relayed stream (its outcome comes when it ends; whatever settles first, its bytes are kept as they pass).
    if (this.served !== false && isStreamBody(response.body)) return { ...response, body: this.recordStream(response, response.body) };
    if (this.served === true) {
      const { body } = response;
      await this.complete(response, body === null ? new Uint8Array() : typeof body === "string" ? Buffer.from(body) : (body as Uint8Array));
      return response;
    }
    // Refused or failed before anything was served: the claim goes, before the client can retry.
    await this.release();
    return response;
  }

  /** Passes the stream through unchanged, keeping its bytes up to the cap for the replay. */
  private recordStream(response: Answer, inner: StreamBody): StreamBody {
    const chunks: string[] = [];
    let size = 0;
    let cancelled = false;
    return {
      start: (sink) =>
        inner.start({
          write: (chunk) => {
            size += Buffer.byteLength(chunk);
            if (size <= this.maxBytes) chunks.push(chunk);
            else chunks.length = 0;
            return sink.write(chunk);
          },
          drained: () => sink.drained(),
          // The end reaches the client only once the answer is kept (or the claim released),
          // so a retry sent after the end is replayed, never refused as still running.
          end: () => {
            void (async () => {
              if (!cancelled && (await this.outcome)) await this.complete(response, size <= this.maxBytes ? Buffer.from(chunks.join("")) : null);
              else await this.release();
              sink.end();
            })();
          },
        }),
      // A client that left before the end did not get the whole answer: the claim goes (the
      // relay settles as aborted, or had already settled as served), so a retry runs anew.
      cancel: () => {
        cancelled = true;
        inner.cancel();
        void this.outcome.then(() => this.release());
      },
    };
  }

  private async complete(response: Answer, body: Uint8Array | null): Promise<void> {
    clearInterval(this.renewal);
    const answer: StoredAnswer = {
      status: response.status,
      headers: replayedHeaders(response.headers),
      body: body && body.byteLength <= this.maxBytes ? body : null,
    };
    this.closing ??= this.store
      .complete({ ...this.claim, answer })
      .catch((error: Error) => {
        // Unrecorded, the claim would answer 409 until its lock expires; released, a retry runs anew.
        console.error(`idempotency: keeping ${this.claim.generationId}'s answer failed: ${error.message}`);
        return this.store.release(this.claim).catch(() => undefined);
      })
      .finally(this.inFlight);
    await this.closing;
  }

  private release(): Promise<void> {
    clearInterval(this.renewal);
    this.closing ??= this.store
      .release(this.claim)
      .catch((error: Error) => console.error(`idempotency: releasing ${this.claim.generationId}'s claim failed: ${error.message}`))
      .finally(this.inFlight);
    return this.closing;
  }
}
