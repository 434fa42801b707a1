/** Password hashing with argon2id (OWASP's recommended parameters are the library's defaults). */
import { hash, verify } from "@node-rs/argon2";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when the email is unknown keeps both paths equally slow. */
export const DUMMY_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$86YKI0ScahpvBa6S8fXr6w$F0woI4MQaas7IuBMFGsaAdFYNtIfJVLnbN9U8zSSp4M";
