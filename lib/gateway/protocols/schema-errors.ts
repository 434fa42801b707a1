/**
 * Field messages for request schemas: "is required" only when the field is missing; a field
 * that is there with the wrong type says what it must be ("Parameter messages must be an
 * array"), so a client is told what to fix rather than that it sent nothing.
 */
export function expected(kind: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? "is required" : `must be ${kind}`);
}
