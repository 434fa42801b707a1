/**
 * A request body that failed validation: one message per field, so forms can show each
 * next to its input, and a summary for API clients.
 */
import type { z } from "zod";

export class ValidationError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(
      Object.entries(fields)
        .map(([field, message]) => (field ? `${field}: ${message}` : message))
        .join("; "),
    );
    this.name = "ValidationError";
  }

  static fromZod(error: z.ZodError): ValidationError {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) {
      const field = issue.path.map(String).join(".") || "";
      fields[field] ??= issue.message;
    }
    return new ValidationError(fields);
  }
}

/** Parse or throw a ValidationError with per-field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}
