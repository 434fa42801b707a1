import "server-only";
/** The process's playground keyring (one per process, shared by every route bundle). */
import { getDb } from "../db/client.ts";
import { getKeyVerifier } from "../keys/key-auth.ts";
import { createPlaygroundKeyring, type PlaygroundKeyring } from "../keys/playground-keys.ts";
import { processSingleton } from "../process-singleton.ts";

export function getPlaygroundKeyring(): PlaygroundKeyring {
  return processSingleton("switchyardPlaygroundKeyring", () =>
    createPlaygroundKeyring({
      db: getDb(),
      onRevoked: (hashes) => hashes.forEach((hash) => getKeyVerifier().invalidateHash(hash)),
    }),
  );
}
