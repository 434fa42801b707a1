import { describe, expect, it } from "vitest";
import { answerBytes, type Answer } from "../gateway/exchange.ts";
import { apiEdgeAnswer } from "./api-edges.ts";

async function json(answer: Answer | null) {
  expect(answer).not.toBeNull();
  expect(answer!.headers["content-type"]).toMatch(/^application\/json/);
  return JSON.parse((await answerBytes(answer!)).toString("utf8"));
}

describe("the API edges", () => {
  it("answers an unknown path 404 in each surface's error shape, whatever the method", async () => {
    const openai = apiEdgeAnswer("POST", "/api/v1/embeddingz");
    expect(openai?.status).toBe(404);
    expect(await json(openai)).toEqual({ error: { code: "404", type: "not_found", message: expect.stringContaining("/api/v1/embeddingz"), param: null } });
    expect(openai!.headers["x-should-retry"]).toBe("false");
    const anthropic = apiEdgeAnswer("GET", "/api/anthropic/v1/complete");
    expect(anthropic?.status).toBe(404);
    expect(await json(anthropic)).toEqual({
      type: "error",
      error: { type: "not_found_error", message: expect.stringContaining("/api/anthropic/v1/complete") },
    });
    const google = apiEdgeAnswer("POST", "/api/vertex-ai/v2/models/google/gemini-2.5-pro:generateContent");
    expect(google?.status).toBe(404);
    expect(await json(google)).toEqual({ error: { code: 404, message: expect.stringContaining("gemini-2.5-pro:generateContent"), status: "NOT_FOUND" } });
    expect(apiEdgeAnswer("DELETE", "/api/v1")?.status).toBe(404);
  });

  it("answers a known path with the wrong method 405 with Allow", async () => {
    const get = apiEdgeAnswer("GET", "/api/v1/chat/completions");
    expect(get?.status).toBe(405);
    expect(get!.headers.allow).toBe("POST, OPTIONS");
    expect(await json(get)).toMatchObject({ error: { code: "405", type: "method_not_allowed" } });
    const post = apiEdgeAnswer("POST", "/api/anthropic/v1/models/test/claude");
    expect(post?.status).toBe(405);
    expect(post!.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect(await json(post)).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(apiEdgeAnswer("HEAD", "/api/anthropic/v1/messages")?.status).toBe(405);
  });

  it("leaves what a route handler serves alone", () => {
    expect(apiEdgeAnswer("POST", "/api/v1/chat/completions")).toBeNull();
    expect(apiEdgeAnswer("GET", "/api/v1/models")).toBeNull();
    expect(apiEdgeAnswer("HEAD", "/api/v1/models/openai/gpt-4o")).toBeNull();
    expect(apiEdgeAnswer("GET", "/api/health")).toBeNull();
    expect(apiEdgeAnswer("POST", "/api/console/keys")).toBeNull();
    // Next redirects these to the path without the slash, in either door.
    expect(apiEdgeAnswer("GET", "/api/v1/unknown/")).toBeNull();
  });

  it("answers a malformed percent-encoding under an API prefix 400 in the surface's shape, and leaves good encodings alone", async () => {
    const openai = apiEdgeAnswer("GET", "/api/v1/models/%E0%A4%A");
    expect(openai).toMatchObject({ status: 400 });
    expect(JSON.parse(String(openai!.body))).toMatchObject({
      error: { code: "400", type: "invalid_params", message: expect.stringContaining("malformed percent-encoding") },
    });
    const anthropic = apiEdgeAnswer("POST", "/api/anthropic/v1/%ZZ");
    expect(JSON.parse(String(anthropic!.body))).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(apiEdgeAnswer("GET", "/api/v1/models/openai%2Fgpt-4o")).toBeNull();
    expect(apiEdgeAnswer("GET", "/dashboard/%E0%A4%A")).toBeNull();
  });

  it("lists a route's methods on OPTIONS and answers Claude Code's probes", async () => {
    const options = apiEdgeAnswer("OPTIONS", "/api/v1/models");
    expect(options).toMatchObject({ status: 204, body: null, headers: { allow: "GET, HEAD, OPTIONS" } });
    expect(apiEdgeAnswer("OPTIONS", "/api/v1/nothing")?.status).toBe(404);
    for (const path of ["/api/anthropic", "/api/anthropic/api/hello"]) {
      for (const method of ["HEAD", "GET"]) {
        const probe = apiEdgeAnswer(method, path);
        expect(probe?.status).toBe(200);
        expect(await json(probe)).toMatchObject({ ok: true });
      }
      expect(apiEdgeAnswer("POST", path)?.status).toBe(405);
    }
  });
});
