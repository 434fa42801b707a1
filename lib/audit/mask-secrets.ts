/**
 * Masks secrets in values bound for the audit log (or any other record a person reads):
 * fields whose names say they hold a secret keep only a hint of their value, like a
 * provider console does: "sk-…abcd". Pure; works on any JSON-like value.
 */

/** Field names that hold secrets, matched case-insensitively anywhere in the name. */
const SECRET_FIELD = /(credential|secret|password|token(?!s)|api_?key(?!env|id|_?env)|authorization|cookie)/i;

/** "sk-…abcd": the first three and last four characters; short values show nothing. */
export function maskSecret(value: string): string {
  if (value.length <= 12) return "…";
  return `${value.slice(0, 3)}…${value.slice(-4)}`;
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    if (isSecretField(field) && inner !== null && inner !== undefined && inner !== "") out[field] = typeof inner === "string" ? maskSecret(inner) : "…";
    else out[field] = maskSecrets(inner);
  }
  return out;
}
