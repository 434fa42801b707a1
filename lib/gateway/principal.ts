/**
 * The caller of an API request as the core sees it once its key is verified (plain data),
 * and the refusals the core answers when it is not. lib/keys verifies keys and builds these.
 */

export type KeyLimits = {
  /** model slugs this key may call; null = all */
  allowedModels: string[] | null;
  spendLimitTotalNanoUsd: bigint | null;
  spendLimitDayNanoUsd: bigint | null;
  spendLimitMonthNanoUsd: bigint | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
};

export type Principal = KeyLimits & {
  keyId: string;
  keyName: string;
  /** the account the key spends from: a person's own, or an organization's */
  userId: string;
  /** an organization key's creator (their Membership), whose credit limits every hold checks; null for a personal key */
  membershipId: string | null;
  role: "admin" | "member";
  expiresAt: Date | null;
  /** the account's model to try when every candidate of a request failed */
  defaultFallbackModel: string | null;
  /** the account opted in to storing request and response bodies (activity detail) */
  storeContent: boolean;
  /** the account's rate-limit override (null: the instance default applies) */
  accountRpmLimit: number | null;
  accountTpmLimit: number | null;
};

export type KeyRejectionReason = "missing" | "malformed" | "unknown" | "revoked" | "expired" | "suspended";

const MESSAGES: Record<KeyRejectionReason, string> = {
  missing: "Missing API key: send it as 'Authorization: Bearer <key>', 'x-api-key: <key>' or (Gemini) 'x-goog-api-key: <key>'",
  malformed: "Malformed API key: Switchyard keys start with sk-sy-v1- (check for a truncated copy or extra characters)",
  unknown: "Invalid API key",
  revoked: "This API key has been revoked",
  expired: "This API key has expired",
  suspended: "The account that owns this API key is suspended",
};

/** A refused key: 401 invalid_api_key, or 403 access_denied for a suspended account (`status`, `type`), on every surface. */
export class ApiKeyError extends Error {
  constructor(readonly reason: KeyRejectionReason) {
    super(MESSAGES[reason]);
    this.name = "ApiKeyError";
  }
}

/** The one mapping of a refused key to HTTP: each surface's error shape is built from it. */
export function apiKeyErrorStatus(error: ApiKeyError): { status: 401 | 403; type: "invalid_api_key" | "access_denied" } {
  return error.reason === "suspended" ? { status: 403, type: "access_denied" } : { status: 401, type: "invalid_api_key" };
}

/**
 * Whether an error is a refused key, by name: the verifier lives on globalThis, so the one
 * a route handler calls may have been built by another bundle (the node door's), whose
 * ApiKeyError class is not this bundle's and fails `instanceof`.
 */
export function isApiKeyError(error: unknown): error is ApiKeyError {
  return error instanceof Error && error.name === "ApiKeyError" && typeof (error as { reason?: unknown }).reason === "string";
}
