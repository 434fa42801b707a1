import "server-only";
/**
 * The process's key verifier. Its cache is kept fresh by the change feed: a change to a key
 * or its account anywhere (console, CLI, another instance) makes it re-read the rows that
 * moved (lib/changes), so no request reads the database for its key in the steady state.
 */
import { getChangeFeed } from "../changes/server-change-feed.ts";
import { getDb } from "../db/client.ts";
import { createPrismaKeyStore } from "./key-store.ts";
import { createKeyVerifier, extractApiKey, type KeyVerifier } from "./key-verifier.ts";
import type { Principal } from "../gateway/principal.ts";
import { processSingleton } from "../process-singleton.ts";

type KeyChangeListener = (keyIds: string[]) => void;
const keyChangeListeners = processSingleton<KeyChangeListener[]>("switchyardKeyChangeListeners", () => []);

/** Calls `listener` with the ids of keys changed anywhere (console, CLI, another instance), at each change-feed round. */
export function onKeyChanges(listener: KeyChangeListener): void {
  keyChangeListeners.push(listener);
}

export function getKeyVerifier(): KeyVerifier {
  return processSingleton("switchyardKeyVerifier", () => {
    const verifier = createKeyVerifier({
      store: createPrismaKeyStore(getDb()),
      onKeysChanged: (keyIds) => keyChangeListeners.forEach((listener) => listener(keyIds)),
    });
    getChangeFeed().on("keys", () => verifier.pollChanges());
    return verifier;
  });
}

/** The caller of an API request; throws ApiKeyError. */
export function authenticateRequest(request: { headers: { get(name: string): string | null } }): Promise<Principal> {
  return getKeyVerifier().verify(extractApiKey(request.headers));
}
