/**
 * Provider credentials at rest: AES-256-GCM with a key derived by HKDF-SHA256 from a
 * server secret (credential-secret.ts). The stored text is
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts): the key id is a fingerprint
 * of the derived key, so a value written under another secret is named as such instead
 * of failing as "tampered". The provider's slug is bound in as associated data, so a
 * ciphertext copied onto another provider's row does not decrypt. Pure; no I/O.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const SALT = "switchyard/provider-credentials";
const INFO = "aes-256-gcm v1";

export type CredentialCipher = {
  /** a short fingerprint of the key; never the key */
  keyId: string;
  encrypt(plaintext: string, context: string): string;
  /** Throws CredentialDecryptError when the value was written under another key or altered. */
  decrypt(stored: string, context: string): string;
};

export class CredentialDecryptError extends Error {
  constructor(readonly reason: "malformed" | "other_key" | "tampered") {
    super(
      reason === "other_key"
        ? "the credential was encrypted with another secret"
        : reason === "malformed"
          ? "the stored credential is not in a known format"
          : "the stored credential failed its integrity check",
    );
    this.name = "CredentialDecryptError";
  }
}

export function createCredentialCipher(secret: string): CredentialCipher {
  if (secret.length < 16) throw new Error("the credentials secret must be at least 16 characters");
  const key = Buffer.from(hkdfSync("sha256", secret, SALT, INFO, 32));
  const keyId = createHmac("sha256", key).update("key id").digest("base64url").slice(0, 8);
  return {
    keyId,
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [VERSION, keyId, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
    },
    decrypt(stored, context) {
      const parts = stored.split(".");
      if (parts.length !== 5 || parts[0] !== VERSION) throw new CredentialDecryptError("malformed");
      const [, storedKeyId, iv, tag, ciphertext] = parts;
      if (storedKeyId !== keyId) throw new CredentialDecryptError("other_key");
      try {
        // A full 16-byte tag only: GCM would otherwise accept a truncated tag, which is easier to forge.
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new CredentialDecryptError("tampered");
      }
    },
  };
}

/** The associated data a provider's credential is bound to. */
export function credentialContext(providerSlug: string): string {
  return `provider:${providerSlug}`;
}
