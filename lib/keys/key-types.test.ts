import { describe, expect, it } from "vitest";
import { ApiKeyError, isApiKeyError } from "./key-types.ts";

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
