/**
 * Which rate limits a request is held to: its API key's own rpm/tpm, its account's
 * (an admin's override for that account, else the instance default) and its model
 * family's (counted per account, so one account's traffic never spends another's).
 * Pure; the settings are read by lib/settings/rate-limit-settings.ts.
 */

export type RateLimitPair = { rpm: number | null; tpm: number | null };

/**
 * A model family is a name and a list of globs on the model slug (`*` matches any run
 * of characters, case-insensitive): `openai/gpt-*`, `anthropic/claude-*`. A model
 * belongs to the first family, in order, with a matching pattern, and to no other.
 */
export type ModelFamily = RateLimitPair & { name: string; patterns: string[] };

export type RateLimitSettings = {
  /** the default for every account; an admin's per-account override replaces it field by field */
  account: RateLimitPair;
  families: ModelFamily[];
};

/** What the gateway needs to know about the caller (a subset of the verified principal). */
export type RateLimitedCaller = {
  keyId: string;
  userId: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
  accountRpmLimit: number | null;
  accountTpmLimit: number | null;
};

export type RateLimitScope = "key" | "account" | "family";

/** One budget: its counter name (`bucket`), the words for messages, and its limits. */
export type RateLimitRule = RateLimitPair & { scope: RateLimitScope; bucket: string; label: string };

const globCache = new Map<string, RegExp>();

export function matchesGlob(pattern: string, slug: string): boolean {
  let regex = globCache.get(pattern);
  if (!regex) {
    const source = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    regex = new RegExp(`^${source}$`, "i");
    globCache.set(pattern, regex);
  }
  return regex.test(slug);
}

export function findModelFamily(modelSlug: string, families: readonly ModelFamily[]): ModelFamily | null {
  return families.find((family) => family.patterns.some((pattern) => matchesGlob(pattern, modelSlug))) ?? null;
}

/** A family's counter name: its name, lower-cased and dashed, so renaming a family starts a fresh budget. */
function familyBucketName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
}

export function selectRateLimitRules(caller: RateLimitedCaller, modelSlug: string, settings: RateLimitSettings): RateLimitRule[] {
  const rules: RateLimitRule[] = [];
  const add = (rule: RateLimitRule) => {
    if (rule.rpm !== null || rule.tpm !== null) rules.push(rule);
  };
  add({ scope: "key", bucket: `key:${caller.keyId}`, label: "this API key", rpm: caller.rpmLimit, tpm: caller.tpmLimit });
  add({
    scope: "account",
    bucket: `account:${caller.userId}`,
    label: "this account",
    rpm: caller.accountRpmLimit ?? settings.account.rpm,
    tpm: caller.accountTpmLimit ?? settings.account.tpm,
  });
  const family = findModelFamily(modelSlug, settings.families);
  if (family)
    add({
      scope: "family",
      bucket: `family:${familyBucketName(family.name)}:${caller.userId}`,
      label: `${family.name} models`,
      rpm: family.rpm,
      tpm: family.tpm,
    });
  return rules;
}
