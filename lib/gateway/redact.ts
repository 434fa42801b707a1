/**
 * Keeps secrets out of anything a client or a log line sees: the credential itself,
 * anything shaped like an API key, and Authorization header values.
 */
const KEY_SHAPES = /\b(sk|pk|rk|gsk|xai|sk-ant|sk-proj|sk-sy-v1)[-_][A-Za-z0-9_\-]{8,}/g;

export function redactSecrets(text: string, secrets: (string | null | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out.replace(KEY_SHAPES, (match) => `${match.slice(0, 3)}…[redacted]`).replace(/(Bearer\s+)[^\s"']+/gi, "$1[redacted]");
}
