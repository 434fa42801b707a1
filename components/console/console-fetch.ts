/** fetch for the console API: JSON in and out, errors as ConsoleApiError with per-field messages. */
export class ConsoleApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The per-field messages of a failed console call (a 400 from a form), or none. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ConsoleApiError ? error.fields : {};
}

/** `body` is sent as JSON; `text` as is (an uploaded file the server parses itself). */
export async function consoleFetch<T = unknown>(url: string, options: { method?: string; body?: unknown; text?: string } = {}): Promise<T> {
  const hasBody = options.body !== undefined || options.text !== undefined;
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers: hasBody ? { "content-type": "application/json" } : undefined,
    body: options.text ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const payload = (await response.json().catch(() => null)) as { error?: { message?: string; fields?: Record<string, string> } } | null;
  if (!response.ok) {
    throw new ConsoleApiError(payload?.error?.message ?? `Request failed (${response.status})`, response.status, payload?.error?.fields ?? {});
  }
  return payload as T;
}
