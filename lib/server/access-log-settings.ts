/**
 * LOG_FORMAT (text | json) and LOG_LEVEL (debug | info | warn | error) for the access
 * log. Pure: the start-up's preparation checks them (a bad value stops the start) and
 * the server reads them once.
 */
export const LOG_FORMATS = ["text", "json"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

export type AccessLogSettings = {
  format: LogFormat;
  /** API requests (the /api/v1, /api/anthropic and /api/vertex-ai surfaces) are logged at info */
  api: boolean;
  /** everything else (console pages, assets, the console API, auth, health) at debug */
  other: boolean;
};

export function accessLogSettings(env: Readonly<Record<string, string | undefined>>): AccessLogSettings {
  const format = (env.LOG_FORMAT?.trim().toLowerCase() || "text") as LogFormat;
  if (!LOG_FORMATS.includes(format)) throw new Error(`LOG_FORMAT must be text or json, got "${env.LOG_FORMAT}"`);
  const level = (env.LOG_LEVEL?.trim().toLowerCase() || "info") as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be debug, info, warn or error, got "${env.LOG_LEVEL}"`);
  return { format, api: level === "debug" || level === "info", other: level === "debug" };
}
