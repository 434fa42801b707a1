import { describe, expect, it } from "vitest";
import { maskSecret, maskSecrets } from "./mask-secrets.ts";

describe("maskSecrets", () => {
  it("keeps a hint of long secrets and nothing of short ones", () => {
    expect(maskSecret("sk-live-1234567890abcd")).toBe("sk-…abcd");
    expect(maskSecret("short")).toBe("…");
  });

  it("masks secret-named fields at any depth and leaves the rest", () => {
    const masked = maskSecrets({
      slug: "openai",
      apiKeyEnv: "OPENAI_API_KEY",
      credential: "sk-proj-CANARY-0123456789",
      nested: [{ password: "hunter2-hunter2-hunter2", clientSecret: 42, tokens: 12 }],
      headers: { Authorization: "Bearer sk-abcdefghijklmnop" },
    });
    expect(masked).toEqual({
      slug: "openai",
      apiKeyEnv: "OPENAI_API_KEY",
      credential: "sk-…6789",
      nested: [{ password: "hun…ter2", clientSecret: "…", tokens: 12 }],
      headers: { Authorization: "Bea…mnop" },
    });
    expect(JSON.stringify(masked)).not.toContain("CANARY");
  });
});
