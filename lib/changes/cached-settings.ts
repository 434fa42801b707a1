import "server-only";
/**
 * The admin settings the gateway reads on its hot path (rate limits) and in the background
 * (health probes), from memory: read once, dropped when the change feed reports a settings
 * change (from any instance, within CHANGE_POLL_MS on SQLite, at once on PostgreSQL).
 */
import { getDb } from "../db/client.ts";
import type { RateLimitSettings } from "../gateway/rate-limit/rate-limit-rules.ts";
import { readHealthProbeSettings, type HealthProbeSettings } from "../settings/health-probe-settings.ts";
import { readRateLimitSettings } from "../settings/rate-limit-settings.ts";
import { createCachedValue, type CachedValue } from "./cached-value.ts";
import { getChangeFeed } from "./server-change-feed.ts";
import { processSingleton } from "../process-singleton.ts";

type SettingsCaches = { rateLimits: CachedValue<RateLimitSettings>; healthProbes: CachedValue<HealthProbeSettings> };
function caches(): SettingsCaches {
  return processSingleton("switchyardSettingsCaches", () => {
    const created: SettingsCaches = {
      rateLimits: createCachedValue(() => readRateLimitSettings(getDb())),
      healthProbes: createCachedValue(() => readHealthProbeSettings(getDb())),
    };
    getChangeFeed().on("settings", () => {
      created.rateLimits.invalidate();
      created.healthProbes.invalidate();
    });
    return created;
  });
}

export function cachedRateLimitSettings(): Promise<RateLimitSettings> {
  return caches().rateLimits.get();
}

export function cachedHealthProbeSettings(): Promise<HealthProbeSettings> {
  return caches().healthProbes.get();
}

/** After a settings change made by this process: apply it here without waiting for the feed. */
export function settingsChanged(): void {
  getChangeFeed().emit(["settings"]);
}
