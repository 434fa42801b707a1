/** Reading generation records; a caller only ever sees its own account's. */
import type { Db } from "../db/client.ts";
import type { GenerationRow } from "./generation-record.ts";

export async function findGenerationForUser(db: Db, userId: string, id: string): Promise<GenerationRow | null> {
  return db.generation.findFirst({ where: { id, userId }, include: { attempts: true } });
}
