/**
 * Switchyard API keys: `sk-sy-v1-` + 32 base62 characters of randomness (~190 bits) +
 * a 6-character base62 CRC-32 checksum of everything before it. The checksum lets
 * malformed or mistyped keys be refused without a database lookup (and lets secret
 * scanners recognise real keys). Only the SHA-256 of the whole key is stored, plus a
 * short visible start for display.
 */
import { createHash, randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

export const API_KEY_PREFIX = "sk-sy-v1-";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + SECRET_LENGTH + CHECKSUM_LENGTH;
/** How many secret characters the displayed start shows after the prefix. */
const VISIBLE_CHARS = 4;
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH + CHECKSUM_LENGTH}}$`);

export type GeneratedApiKey = { key: string; hash: string; start: string };

function toBase62(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  // 62^6 > 2^32, so six characters hold every CRC-32 value.
  return toBase62(crc32(body), CHECKSUM_LENGTH);
}

export function generateApiKey(): GeneratedApiKey {
  let secret = "";
  for (let i = 0; i < SECRET_LENGTH; i++) secret += BASE62[randomInt(62)];
  const body = API_KEY_PREFIX + secret;
  const key = body + checksumOf(body);
  return { key, hash: hashApiKey(key), start: visibleStart(key) };
}

/** True when the string has the key's shape and its checksum matches. */
export function isWellFormedApiKey(candidate: string): boolean {
  if (candidate.length !== API_KEY_LENGTH || !KEY_PATTERN.test(candidate)) return false;
  const body = candidate.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(body) === candidate.slice(-CHECKSUM_LENGTH);
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** `sk-sy-v1-AbC4`: enough to recognise a key in a list, useless to an attacker. */
export function visibleStart(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARS);
}
