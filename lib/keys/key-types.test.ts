import { describe, expect, it } from "vitest";
import { errorToResponse } from "../http/api-error.ts";
import { toGatewayError } from "../gateway/generation-handler.ts";
import { ApiKeyError, apiKeyErrorStatus, isApiKeyError, type KeyRejectionReason } from "../gateway/principal.ts";

describe("isApiKeyError", () => {
  it("recognises a refused key from this module and from another copy of it (another bundle's class)", () => {
    class OtherBundleApiKeyError extends Error {
      constructor(readonly reason: string) {
        super("This API key does not exist");
        this.name = "ApiKeyError";
      }
    }
    const foreign = new OtherBundleApiKeyError("unknown");
    expect(foreign instanceof ApiKeyError).toBe(false);
    expect(isApiKeyError(foreign)).toBe(true);
    expect(isApiKeyError(new ApiKeyError("revoked"))).toBe(true);
    for (const other of [new Error("x"), Object.assign(new Error("x"), { name: "ApiKeyError" }), null, "ApiKeyError"]) expect(isApiKeyError(other)).toBe(false);
  });
});

describe("a refused key's HTTP status", () => {
  const reasons: KeyRejectionReason[] = ["missing", "malformed", "unknown", "revoked", "expired", "suspended"];

  it("is 401 invalid_api_key, except 403 access_denied for a suspended account, the same in the gateway and the console API", async () => {
    for (const reason of reasons) {
      const expected = reason === "suspended" ? { status: 403, type: "access_denied" } : { status: 401, type: "invalid_api_key" };
      const error = new ApiKeyError(reason);
      expect(apiKeyErrorStatus(error), reason).toEqual(expected);
      const gateway = toGatewayError(error);
      expect({ status: gateway.status, type: gateway.type }, reason).toEqual(expected);
      const response = errorToResponse(error);
      expect(response.status, reason).toBe(expected.status);
      expect(((await response.json()) as { error: { type: string } }).error.type, reason).toBe(expected.type);
    }
  });
});
