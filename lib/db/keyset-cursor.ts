/**
 * Cursors for lists paged newest first on (createdAt, id): opaque to clients, base64url
 * of "<epoch ms>.<id>". A cursor names the last row seen, so a deep page costs what the
 * first one does (an index range, never an OFFSET). Used by the activity list and the
 * audit log.
 */
export type KeysetCursor = { createdAt: Date; id: string };

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`).toString("base64url");
}

/** The cursor, or null for none or for text that is not one (a tampered cursor restarts the list). */
export function decodeCursor(text: string | null | undefined): KeysetCursor | null {
  if (!text) return null;
  const decoded = Buffer.from(text, "base64url").toString("utf8");
  const dot = decoded.indexOf(".");
  const ms = Number(decoded.slice(0, dot));
  const id = decoded.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(ms) || !id) return null;
  return { createdAt: new Date(ms), id };
}
