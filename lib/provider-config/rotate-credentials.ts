/**
 * Re-encrypts every stored provider credential from one secret to another, in one
 * transaction: either every row moves to the new secret or none does. Rows already under
 * the new secret are left as they are, so an interrupted rotation can simply be run again.
 */
import type { Db } from "../db/client.ts";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import { createCredentialCipher, credentialContext } from "./credential-cipher.ts";

export type RotationResult = { rotated: string[]; alreadyCurrent: string[]; unreadable: string[] };

export async function rotateCredentials(
  db: Db,
  secrets: { from: string; to: string },
  options: { dryRun?: boolean; actor?: AuditActor } = {},
): Promise<RotationResult> {
  const from = createCredentialCipher(secrets.from);
  const to = createCredentialCipher(secrets.to);
  const rows = await db.provider.findMany({ where: { credentialEncrypted: { not: null } }, orderBy: { slug: "asc" } });
  const result: RotationResult = { rotated: [], alreadyCurrent: [], unreadable: [] };
  const updates: { id: string; value: string }[] = [];
  for (const row of rows) {
    const context = credentialContext(row.slug);
    const stored = row.credentialEncrypted!;
    const tryDecrypt = (cipher: typeof from) => {
      try {
        return cipher.decrypt(stored, context);
      } catch {
        return null;
      }
    };
    if (tryDecrypt(to) !== null) {
      result.alreadyCurrent.push(row.slug);
      continue;
    }
    const plaintext = tryDecrypt(from);
    if (plaintext === null) {
      result.unreadable.push(row.slug);
      continue;
    }
    updates.push({ id: row.id, value: to.encrypt(plaintext, context) });
    result.rotated.push(row.slug);
  }
  if (options.dryRun || result.unreadable.length > 0 || updates.length === 0) return result;
  await db.$transaction(async (tx) => {
    for (const update of updates) await tx.provider.update({ where: { id: update.id }, data: { credentialEncrypted: update.value } });
    await recordAuditEvent(tx, {
      actor: options.actor ?? null,
      action: "credentials.rotate",
      targetType: "provider",
      targetLabel: `${updates.length} provider${updates.length === 1 ? "" : "s"}`,
      after: { providers: result.rotated, keyId: to.keyId },
    });
  });
  return result;
}
