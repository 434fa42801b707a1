import { describe, expect, it } from "vitest";
import { createCredentialCipher, CredentialDecryptError, credentialContext } from "./credential-cipher.ts";

const SECRET = "a-server-secret-of-enough-length-0123456789";
const context = credentialContext("acme");

function flip(stored: string, part: number): string {
  const parts = stored.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[0] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("credential cipher", () => {
  it("round-trips, with a fresh IV each time and no plaintext in the stored text", () => {
    const cipher = createCredentialCipher(SECRET);
    const credential = "sk-live-CANARY-0123456789abcdef";
    const a = cipher.encrypt(credential, context);
    const b = cipher.encrypt(credential, context);
    expect(a).not.toBe(b);
    expect(a).not.toContain("CANARY");
    expect(a.startsWith(`v1.${cipher.keyId}.`)).toBe(true);
    expect(cipher.decrypt(a, context)).toBe(credential);
    expect(createCredentialCipher(SECRET).decrypt(b, context)).toBe(credential);
    expect(cipher.decrypt(cipher.encrypt("", context), context)).toBe("");
    expect(cipher.decrypt(cipher.encrypt("ключ-🔑", context), context)).toBe("ключ-🔑");
  });

  it("detects tampering with the ciphertext, the tag or the IV", () => {
    const cipher = createCredentialCipher(SECRET);
    const stored = cipher.encrypt("sk-abcdefghijklmnop", context);
    for (const part of [2, 3, 4]) {
      expect(() => cipher.decrypt(flip(stored, part), context)).toThrow(new CredentialDecryptError("tampered"));
    }
    expect(() => cipher.decrypt(stored.slice(0, -2), context)).toThrow(CredentialDecryptError);
  });

  it("refuses a truncated authentication tag, even when its bytes are the real tag's first ones", () => {
    const cipher = createCredentialCipher(SECRET);
    const parts = cipher.encrypt("sk-abcdefghijklmnop", context).split(".");
    parts[3] = Buffer.from(parts[3], "base64url").subarray(0, 4).toString("base64url");
    expect(() => cipher.decrypt(parts.join("."), context)).toThrow(new CredentialDecryptError("tampered"));
  });

  it("refuses a ciphertext moved to another provider", () => {
    const cipher = createCredentialCipher(SECRET);
    const stored = cipher.encrypt("sk-abcdefghijklmnop", context);
    expect(() => cipher.decrypt(stored, credentialContext("other"))).toThrow(new CredentialDecryptError("tampered"));
  });

  it("names a value written under another secret, and rejects unknown formats", () => {
    const stored = createCredentialCipher(SECRET).encrypt("sk-abcdefghijklmnop", context);
    const other = createCredentialCipher(`${SECRET}-rotated`);
    expect(other.keyId).not.toBe(createCredentialCipher(SECRET).keyId);
    expect(() => other.decrypt(stored, context)).toThrow(new CredentialDecryptError("other_key"));
    // Same key id forged onto another key's output still fails authentication.
    const forged = stored.replace(`.${createCredentialCipher(SECRET).keyId}.`, `.${other.keyId}.`);
    expect(() => other.decrypt(forged, context)).toThrow(new CredentialDecryptError("tampered"));
    expect(() => other.decrypt("sk-plaintext", context)).toThrow(new CredentialDecryptError("malformed"));
    expect(() => createCredentialCipher("short")).toThrow(/at least 16/);
  });
});
