/**
 * What changed between an audit row's before and after, field by field (nested objects
 * as dotted paths), for the audit page. Pure; values are compared as JSON.
 */
export type AuditChange = { field: string; before: string | null; after: string | null };

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix || "(value)", JSON.stringify(value ?? null));
}

export function diffAuditValues(before: unknown, after: unknown): AuditChange[] {
  const was = new Map<string, string>();
  const now = new Map<string, string>();
  if (before !== null && before !== undefined) flatten(before, "", was);
  if (after !== null && after !== undefined) flatten(after, "", now);
  const fields = [...new Set([...was.keys(), ...now.keys()])];
  return fields.flatMap((field) => {
    const a = was.get(field) ?? null;
    const b = now.get(field) ?? null;
    return a === b && before !== null && before !== undefined ? [] : [{ field, before: a, after: b }];
  });
}
