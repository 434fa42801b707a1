import { describe, expect, it } from "vitest";
import { isServedGeminiMethod, parseGeminiPath } from "./gemini-path.ts";

describe("the model and method a Gemini path names", () => {
  it.each([
    ["/api/vertex-ai/v1beta/models/google/gemini-2.5-pro:generateContent", "google/gemini-2.5-pro", "generateContent"],
    ["/api/vertex-ai/v1/models/gemini-2.5-flash:streamGenerateContent", "gemini-2.5-flash", "streamGenerateContent"],
    ["/api/vertex-ai/v1beta/models/google%2Fgemini-2.5-pro:countTokens", "google/gemini-2.5-pro", "countTokens"],
    ["/api/vertex-ai/v1/publishers/google/models/gemini-2.5-pro:generateContent", "google/gemini-2.5-pro", "generateContent"],
    [
      "/api/vertex-ai/v1/projects/p-1/locations/us-central1/publishers/anthropic/models/claude-sonnet-4:streamGenerateContent",
      "anthropic/claude-sonnet-4",
      "streamGenerateContent",
    ],
    ["/api/vertex-ai/v1beta/models/google/gemini-2.5-pro", "google/gemini-2.5-pro", null],
    ["/api/vertex-ai/v1beta/models/openai/gpt-4o:embedContent", "openai/gpt-4o", "embedContent"],
  ])("%s", (path, model, method) => {
    expect(parseGeminiPath(path)).toEqual({ model, method });
  });

  it.each([
    "/api/vertex-ai/v2/models/x:generateContent",
    "/api/vertex-ai/v1beta/tunedModels/x:generateContent",
    "/api/vertex-ai/v1beta/models/:generateContent",
    "/api/vertex-ai/v1beta/models/x:",
    "/api/vertex-ai/v1beta/models//x:generateContent",
    "/api/vertex-ai/v1beta/models",
    "/api/vertex-ai/v1/publishers/google/x:generateContent",
    "/api/vertex-ai/v1/projects/p/publishers/google/models/x:generateContent",
    "/api/vertex-ai/v1beta/models/%E0%A4%A:generateContent",
    "/api/v1/models/x:generateContent",
  ])("names nothing: %s", (path) => {
    expect(parseGeminiPath(path)).toBeNull();
  });

  it("serves generateContent, streamGenerateContent and countTokens only", () => {
    expect(["generateContent", "streamGenerateContent", "countTokens"].every(isServedGeminiMethod)).toBe(true);
    expect(isServedGeminiMethod("embedContent")).toBe(false);
    expect(isServedGeminiMethod(null)).toBe(false);
  });
});
