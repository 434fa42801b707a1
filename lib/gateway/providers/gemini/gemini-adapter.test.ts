/**
 * The Gemini adapter against the fake upstream (which answers as generativelanguage.googleapis.com):
 * the request it builds, and the one-token request health probes and the admin's "Test
 * credential" send, with Google's own error (a refused key is a 400) passed on redacted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "@/fake-upstream/server";
import type { EndpointView, ProviderView } from "../../catalog-view/catalog-types";
import { sendOneTokenRequest } from "../../health/one-token-request";
import { createUndiciTransport } from "../../transport/undici-transport";
import { geminiAdapter } from "./gemini-adapter";

const CREDENTIAL = "AIzaSy-gemini-test-credential-0123456789";

function endpointAt(baseUrl: string, upstreamModel = "gemini-2.5-flash"): EndpointView {
  const provider: ProviderView = { id: "p_g", slug: "g", name: "Gemini", adapter: "gemini", baseUrl, apiKeyEnv: "KEY", enabled: true };
  return {
    id: "e_g",
    slug: "g/ep",
    name: "ep",
    provider,
    upstreamModel,
    pricings: {},
    contextLength: 8000,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
  };
}

describe("geminiAdapter.buildRequest", () => {
  it("puts the model and method in the path, the key in x-goog-api-key, and leaves the body's model out", () => {
    const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
    const json = geminiAdapter.buildRequest({
      endpoint: endpointAt("https://generativelanguage.googleapis.com/v1beta/"),
      credential: CREDENTIAL,
      body,
      stream: false,
    });
    expect(json.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(json.headers).toMatchObject({ "x-goog-api-key": CREDENTIAL, accept: "application/json" });
    expect(JSON.parse(String(json.body))).toEqual(body);
    const stream = geminiAdapter.buildRequest({
      endpoint: endpointAt("https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google", "models/google/gemini-2.5-pro"),
      credential: CREDENTIAL,
      body,
      stream: true,
    });
    expect(stream.url).toBe(
      "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/google/gemini-2.5-pro:streamGenerateContent?alt=sse",
    );
    expect(stream.headers.accept).toBe("text/event-stream");
  });
});

describe("the one-token request of a Gemini provider (health probes, Test credential)", () => {
  let fake: FakeUpstream;
  const transport = createUndiciTransport({ connectTimeoutMs: 2000, idleTimeoutMs: 5000 });
  beforeAll(async () => {
    fake = await startFakeUpstream();
  });
  afterAll(async () => fake?.close());

  it("asks generateContent for one output token and reads the answer as a success", async () => {
    const result = await sendOneTokenRequest(endpointAt(`${fake.url}/p/gprobe/v1beta`), CREDENTIAL, transport, { timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: true, status: 200 });
    const sent = fake.stats().lastRequests.at(-1)!;
    expect(sent).toMatchObject({
      provider: "gprobe",
      path: "/v1beta/models/gemini-2.5-flash:generateContent",
      body: { contents: [{ role: "user", parts: [{ text: "ping" }] }], generationConfig: { maxOutputTokens: 1 } },
    });
    expect(sent.headers["x-goog-api-key"]).toBe(`***${CREDENTIAL.slice(-4)}`);
  });

  it("reports Google's refusal of the key (a 400) with its message", async () => {
    fake.setKnobs("gwrong", { requireKey: "another-key" });
    const result = await sendOneTokenRequest(endpointAt(`${fake.url}/p/gwrong/v1beta`), CREDENTIAL, transport, { timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: 400, message: "API key not valid. Please pass a valid API key." });
  });

  it("redacts the credential when the upstream's error echoes it", async () => {
    fake.setKnobs("gleak", { failStatus: 403, failMessage: `Permission denied for key ${CREDENTIAL}` });
    const result = await sendOneTokenRequest(endpointAt(`${fake.url}/p/gleak/v1beta`), CREDENTIAL, transport, { timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(!result.ok && result.message).toContain("[redacted]");
    expect(!result.ok && result.message).not.toContain(CREDENTIAL);
  });
});
