import "server-only";
/**
 * Where the gateway's credential for a provider comes from: the environment variable the
 * catalog names wins (operators who keep keys in their secret manager change nothing);
 * otherwise the credential an admin stored, decrypted on first use and memoised by its
 * ciphertext (a changed credential has a new ciphertext, so the memo cannot go stale).
 */
import type { ProviderView } from "../gateway/catalog-view/catalog-types.ts";
import { latestCatalogSnapshot } from "../catalog/catalog-cache.ts";
import { readCredentialEnv } from "../catalog/credential-env-name.ts";
import { createCredentialCipher, credentialContext, type CredentialCipher } from "./credential-cipher.ts";
import { resolveCredentialsSecret } from "./credential-secret.ts";
import { processSingleton } from "../process-singleton.ts";

/**
 * The credential from the provider's environment variable, if it names one that is set and
 * may hold a provider key: a row written before that rule existed (or straight into the
 * database) still cannot send the gateway's own secrets upstream.
 */
export function credentialFromEnv(provider: Pick<ProviderView, "apiKeyEnv">): string | null {
  return readCredentialEnv(process.env, provider.apiKeyEnv);
}

type StoreState = { cipher?: CredentialCipher | null; plaintexts: Map<string, string | null>; warned: Set<string> };
const state = processSingleton<StoreState>("switchyardCredentials", () => ({ plaintexts: new Map(), warned: new Set() }));

/** The cipher for this server's secret; null (and one log line) when there is no secret. */
export function getCredentialCipher(): CredentialCipher | null {
  if (state.cipher === undefined) {
    const secret = resolveCredentialsSecret(process.env);
    state.cipher = secret ? createCredentialCipher(secret.secret) : null;
    if (!secret) console.error("credentials: neither CREDENTIALS_SECRET nor AUTH_SECRET is set; stored provider credentials cannot be used");
  }
  return state.cipher;
}

function warnOnce(key: string, message: string) {
  if (state.warned.has(key)) return;
  state.warned.add(key);
  console.error(message);
}

/** Decrypts a stored credential; null (logged once, without the value) when it cannot be. */
export function decryptStoredCredential(providerSlug: string, stored: string): string | null {
  const memoKey = `${providerSlug}\u0000${stored}`;
  if (state.plaintexts.has(memoKey)) return state.plaintexts.get(memoKey)!;
  const cipher = getCredentialCipher();
  if (!cipher) return null;
  let plaintext: string | null = null;
  try {
    plaintext = cipher.decrypt(stored, credentialContext(providerSlug));
  } catch (error) {
    warnOnce(memoKey, `credentials: provider ${providerSlug}: ${(error as Error).message}; enter the credential again or run credentials:rotate`);
  }
  if (state.plaintexts.size > 1000) state.plaintexts.clear();
  state.plaintexts.set(memoKey, plaintext);
  return plaintext;
}

/** The gateway's `credentialFor` port: the environment first, then the stored credential. */
export function credentialForProvider(provider: ProviderView): string | null {
  const fromEnv = credentialFromEnv(provider);
  if (fromEnv) return fromEnv;
  const stored = latestCatalogSnapshot()?.storedCredentials?.get(provider.id);
  return stored ? decryptStoredCredential(provider.slug, stored) : null;
}

/** Whether the gateway can call a provider at all; the pages say "not configured" otherwise. */
export function hasCredential(provider: ProviderView): boolean {
  return credentialForProvider(provider) !== null;
}
