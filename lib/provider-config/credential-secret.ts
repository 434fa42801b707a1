/**
 * Which secret provider credentials are encrypted with: CREDENTIALS_SECRET when set,
 * else AUTH_SECRET (which `npm start` takes from the environment or DATA_DIR/auth-secret
 * and hands to the server). The CLI runs without the start script, so it reads the
 * auth-secret file itself; it never generates one (a new secret could decrypt nothing).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type CredentialsSecret = { secret: string; origin: "CREDENTIALS_SECRET" | "AUTH_SECRET" | "auth-secret file" };

export function resolveCredentialsSecret(env: Readonly<Record<string, string | undefined>>): CredentialsSecret | null {
  const dedicated = env.CREDENTIALS_SECRET?.trim();
  if (dedicated) return { secret: dedicated, origin: "CREDENTIALS_SECRET" };
  const auth = env.AUTH_SECRET?.trim();
  if (auth) return { secret: auth, origin: "AUTH_SECRET" };
  const file = path.join(path.resolve(env.DATA_DIR?.trim() || "data"), "auth-secret");
  if (!existsSync(file)) return null;
  const stored = readFileSync(file, "utf8").trim();
  return stored ? { secret: stored, origin: "auth-secret file" } : null;
}
