import "server-only";
/** The process's key verifier, polling the change feed twice a second. */
import { getDb } from "../db/client.ts";
import { createPrismaKeyStore } from "./key-store.ts";
import { createKeyVerifier, extractApiKey, type KeyVerifier } from "./key-verifier.ts";
import type { Principal } from "./key-types.ts";

const KEY_FEED_POLL_MS = 500;
const holder = globalThis as unknown as { switchyardKeyVerifier?: KeyVerifier };

export function getKeyVerifier(): KeyVerifier {
  if (!holder.switchyardKeyVerifier) {
    holder.switchyardKeyVerifier = createKeyVerifier({ store: createPrismaKeyStore(getDb()), pollIntervalMs: KEY_FEED_POLL_MS });
    holder.switchyardKeyVerifier.start();
  }
  return holder.switchyardKeyVerifier;
}

/** The caller of an API request; throws ApiKeyError. */
export function authenticateRequest(request: Request): Promise<Principal> {
  return getKeyVerifier().verify(extractApiKey(request.headers));
}
