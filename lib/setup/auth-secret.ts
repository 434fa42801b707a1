/**
 * AUTH_SECRET signs console sessions. When the operator did not set one, the first start
 * generates 32 random bytes and keeps them in <data dir>/auth-secret (mode 0600), so
 * sessions survive restarts without anyone having to invent a secret.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type AuthSecret = { secret: string; origin: "environment" | "file" | "generated"; file?: string };

export function ensureAuthSecret(env: Readonly<Record<string, string | undefined>>, dataDir: string): AuthSecret {
  const fromEnv = env.AUTH_SECRET?.trim();
  if (fromEnv) return { secret: fromEnv, origin: "environment" };
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return { secret: stored, origin: "file", file };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // wx: never overwrite a secret another process wrote a moment ago.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { secret: readFileSync(file, "utf8").trim(), origin: "file", file };
  }
  chmodSync(file, 0o600);
  return { secret, origin: "generated", file };
}
