import { describe, expect, it } from "vitest";
import { surfaceServes } from "../server/api-routes";
import { clientBaseUrls } from "./client-base-urls";
import { modelSnippets } from "./model-snippets";

const ORIGIN = "https://gw.example.com";

describe("model page snippets and client base URLs", () => {
  it("offer no Gemini-protocol call while the Gemini surface is not served, and every other protocol on the deployment's origin", () => {
    const snippets = modelSnippets(ORIGIN, "vendor/model", "fast", { geminiServed: false });
    expect(snippets.map((s) => s.label)).not.toEqual(expect.arrayContaining([expect.stringMatching(/Gemini/)]));
    expect(snippets.some((s) => s.code.includes("/api/vertex-ai"))).toBe(false);
    expect(snippets.map((s) => s.label)).toEqual(
      expect.arrayContaining([
        "curl — OpenAI Chat Completions",
        "curl — OpenAI Responses",
        "curl — Anthropic Messages",
        "Claude Code",
        "Codex CLI — ~/.codex/config.toml",
      ]),
    );
    expect(snippets.filter((s) => !s.code.includes(`${ORIGIN}/api/`)).map((s) => s.label)).toEqual([]);
    expect(clientBaseUrls(ORIGIN, { geminiServed: false }).map((c) => c.baseUrl)).toEqual(expect.not.arrayContaining([`${ORIGIN}/api/vertex-ai`]));
  });

  it("offer the Gemini SDK, curl and Gemini CLI once the surface is served", () => {
    const labels = modelSnippets(ORIGIN, "vendor/model", null, { geminiServed: true }).map((s) => s.label);
    expect(labels).toEqual(expect.arrayContaining(["TypeScript (@google/genai) — Gemini", "curl — Google Gemini", "Gemini CLI"]));
    expect(
      clientBaseUrls(ORIGIN, { geminiServed: true })
        .filter((c) => c.baseUrl === `${ORIGIN}/api/vertex-ai`)
        .map((c) => c.client),
    ).toEqual(["Google Gen AI SDKs (google-genai, @google/genai)", "Gemini CLI"]);
  });

  it("know which surfaces this build serves: all three", () => {
    expect([surfaceServes("openai"), surfaceServes("anthropic"), surfaceServes("google")]).toEqual([true, true, true]);
  });

  it("include the Vercel AI SDK on the OpenAI base URL, with the model and an optional pin", () => {
    const vercel = modelSnippets(ORIGIN, "vendor/model", "fast", { geminiServed: true }).find((s) => s.label === "TypeScript (Vercel AI SDK)")!;
    expect(vercel.code).toContain(`createOpenAI({ baseURL: "${ORIGIN}/api/v1"`);
    expect(vercel.code).toContain('switchyard.chat("vendor/model")');
    expect(vercel.code).toContain('"vendor/model:fast"');
  });
});
