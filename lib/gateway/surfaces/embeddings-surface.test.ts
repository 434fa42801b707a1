/**
 * The embeddings surface and what the pipeline does differently for it: the needs it
 * reads, the body sent upstream and its URL, the answer in the client's encoding, the
 * hold (input only, no output cap sent), metering from usage.prompt_tokens or the
 * estimate, and the model-kind checks on both sides.
 */
import { describe, expect, it } from "vitest";
import { catalogSchema } from "../../catalog/catalog-schema";
import type { EndpointView, ModelView, ProviderView } from "../catalog-view/catalog-types";
import type { Candidate } from "../routing/candidate";
import { planCandidates, wrongModelKindError } from "../candidates";
import { EndpointHealth } from "../health/endpoint-health";
import { prepareAttempts, holdFor } from "../holds/upstream-hold";
import { meter } from "../metering/metering";
import { floatsToBase64 } from "../protocols/openai-embeddings/embedding-encoding";
import { adapterFor } from "../providers/registry";
import { modelLookup, resolveModel } from "../routing/resolve-model";
import { tallyFromJson } from "../upstream/upstream-tally";
import { embeddingsSurface } from "./embeddings-surface";
import type { ServedAs } from "./types";

const EMBEDDINGS_PATH = { path: "/api/v1/embeddings" };

type Kind = "openai" | "anthropic" | "responses";
const usd = (value: number) => [{ value, unit: "perMTokens" as const, currency: "USD" as const }];
const provider = (slug: string, adapter: Kind): ProviderView => ({
  id: slug,
  slug,
  name: slug,
  adapter,
  baseUrl: `https://${slug}.example/v1/`,
  apiKeyEnv: "K",
  enabled: true,
});
const endpointOf = (slug: string, adapter: Kind = "openai"): EndpointView => ({
  id: slug,
  slug: `${slug}/ep`,
  name: "ep",
  provider: provider(slug, adapter),
  upstreamModel: `up-${slug}`,
  pricings: { prompt: usd(2) },
  contextLength: 8,
  maxOutput: null,
  supportedParameters: [],
  enabled: true,
});
function model(slug: string, endpoints: EndpointView[], outputModalities = ["embedding"]): ModelView {
  return {
    id: slug,
    slug,
    vendor: "acme",
    displayName: slug,
    description: "",
    inputModalities: ["text"],
    outputModalities,
    capabilities: { tools: false, vision: false, reasoning: false, json: false },
    contextLength: 8,
    maxOutput: null,
    releasedAt: null,
    addedAt: new Date(0),
    enabled: true,
    aliases: [],
    endpoints,
  };
}
const protocolOf = (c: Candidate) => adapterFor(c.endpoint.provider.adapter)!.protocol;
const served = (request: Record<string, unknown>): ServedAs => ({
  servedModel: "acme/embed",
  id: "gen_1",
  created: 0,
  includeUsage: false,
  estimatedInputTokens: 0,
  request,
});

describe("the embeddings surface", () => {
  it("reads the batch's estimate and its longest input (what one context must hold); nothing to output", () => {
    const parsed = embeddingsSurface.parse({ model: "acme/embed", input: ["12345678", "1234", "12345678901234567890"] }, EMBEDDINGS_PATH);
    expect(parsed.stream).toBe(false);
    expect(parsed.needs).toMatchObject({ estimatedPromptTokens: 2 + 1 + 5, contextTokens: 5, maxOutputTokens: 0, tools: false });
  });

  it("sends the client's fields to the adapter's /embeddings with the upstream model, without the gateway's options", () => {
    const parsed = embeddingsSurface.parse(
      {
        model: "acme/embed",
        input: "hi",
        dimensions: 64,
        encoding_format: "base64",
        user: "u",
        provider: { routing: { type: "order", providers: ["a", "b"] } },
        models: ["x/y"],
      },
      EMBEDDINGS_PATH,
    );
    const candidate = { model: model("acme/embed", []), endpoint: endpointOf("a") };
    const body = embeddingsSurface.upstreamBody(parsed, candidate, "openai-chat");
    expect(body).toEqual({ model: "acme/embed", input: "hi", dimensions: 64, encoding_format: "base64", user: "u" });
    const request = adapterFor("openai")!.buildEmbeddingsRequest!({ endpoint: candidate.endpoint, credential: "sk-1", body });
    expect(request.url).toBe("https://a.example/v1/embeddings");
    expect(request.headers.authorization).toBe("Bearer sk-1");
    expect(JSON.parse(String(request.body))).toEqual({ ...body, model: "up-a" });
    // Only OpenAI's API family has embeddings.
    expect(adapterFor("anthropic")!.buildEmbeddingsRequest).toBeUndefined();
  });

  it("answers with the served model, in the encoding the client asked for (float by default)", () => {
    const upstream = {
      object: "list",
      model: "up-a",
      data: [{ object: "embedding", index: 0, embedding: [0.5, 0.25] }],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    };
    expect(embeddingsSurface.jsonBody("openai-chat", upstream, served({ model: "acme/embed", input: "x" }))).toEqual({ ...upstream, model: "acme/embed" });
    const asked = embeddingsSurface.jsonBody("openai-chat", upstream, served({ model: "acme/embed", input: "x", encoding_format: "base64" }));
    expect((asked.data as { embedding: unknown }[])[0].embedding).toBe(floatsToBase64([0.5, 0.25]));
  });

  it("holds the input's byte bound at the prompt price: no output cap added to the body, no clamp to the per-input context", () => {
    const parsed = embeddingsSurface.parse({ model: "acme/embed", input: ["a".repeat(100), "b".repeat(100)] }, EMBEDDINGS_PATH);
    const candidate = { model: model("acme/embed", []), endpoint: endpointOf("a") };
    const [prepared] = prepareAttempts([candidate], protocolOf, (c, p) => embeddingsSurface.upstreamBody(parsed, c, p), "embedding");
    expect(prepared.body).not.toHaveProperty("max_tokens");
    expect(prepared.outputCap).toBe(0);
    // Above the 8-token context: the batch's inputs are each within it, together they are not.
    expect(prepared.promptBound).toBeGreaterThanOrEqual(200);
    expect(holdFor([prepared])).toBe(BigInt(prepared.promptBound) * 2_000n + 1n);
  });

  it("bills usage.prompt_tokens, or the estimate when the upstream sends no usage; never output", () => {
    const pricings = { prompt: usd(2) };
    const reported = meter(pricings, tallyFromJson("openai-chat", { object: "list", data: [], usage: { prompt_tokens: 500, total_tokens: 500 } }, 0), 9);
    expect(reported).toMatchObject({ estimated: false, promptTokens: 500, completionTokens: 0 });
    expect(reported.cost.totalNanoUsd).toBe(1_000_000n);
    const estimated = meter(pricings, tallyFromJson("openai-chat", { object: "list", data: [{ embedding: [1] }] }, 0), 9);
    expect(estimated).toMatchObject({ estimated: true, promptTokens: 9, completionTokens: 0 });
  });
});

describe("model kinds", () => {
  const embed = model("acme/embed", [endpointOf("a"), endpointOf("claude", "anthropic")]);
  const chat = model("acme/chat", [endpointOf("b")], ["text"]);

  it("refuses an embedding model on a chat API and a chat model on embeddings, with 400 model_not_supported naming model", () => {
    expect(wrongModelKindError(embed, "embedding")).toBeNull();
    expect(wrongModelKindError(chat, "chat")).toBeNull();
    const onChat = wrongModelKindError(embed, "chat")!;
    expect(onChat).toMatchObject({ status: 400, type: "model_not_supported", param: "model" });
    expect(onChat.message).toMatch(/acme\/embed is an embedding model: call POST \/api\/v1\/embeddings/);
    const onEmbeddings = wrongModelKindError(chat, "embedding")!;
    expect(onEmbeddings).toMatchObject({ status: 400, type: "model_not_supported", param: "model" });
    expect(onEmbeddings.message).toMatch(/acme\/chat is not an embedding model/);
  });

  it("skips fallbacks of another kind and providers whose protocol has no embeddings, with a reason", () => {
    const other = model("acme/embed-2", [endpointOf("c")]);
    const lookup = modelLookup({ loadedAt: new Date(), models: [embed, chat, other], providers: [] });
    const plan = planCandidates(
      resolveModel("acme/embed", lookup),
      { strategy: { kind: "order", providers: ["a", "claude"] }, fallbacks: ["acme/chat", "acme/embed-2"], singleProvider: false },
      embeddingsSurface.parse({ model: "acme/embed", input: "x" }, EMBEDDINGS_PATH).needs,
      { lookup, allowedModels: null, health: new EndpointHealth(), credentialFor: () => "k", upstreams: embeddingsSurface.upstreams, modelKind: "embedding" },
    );
    expect(plan.candidates.map((c) => `${c.model.slug}@${c.endpoint.provider.slug}`)).toEqual(["acme/embed@a", "acme/embed-2@c"]);
    expect(plan.excluded).toEqual(["provider claude speaks anthropic-messages, which this API cannot be translated to yet"]);
  });

  it("judges an input's length, not the batch's, against the context", () => {
    const lookup = modelLookup({ loadedAt: new Date(), models: [embed], providers: [] });
    const plan = (input: unknown) =>
      planCandidates(
        resolveModel("acme/embed", lookup),
        { strategy: { kind: "latency" }, fallbacks: [], singleProvider: false },
        embeddingsSurface.parse({ model: "acme/embed", input }, EMBEDDINGS_PATH).needs,
        {
          lookup,
          allowedModels: null,
          health: new EndpointHealth(),
          credentialFor: () => "k",
          upstreams: embeddingsSurface.upstreams,
          modelKind: "embedding",
        },
      );
    expect(plan(["a".repeat(32), "b".repeat(32), "c".repeat(32)]).candidates).toHaveLength(1);
    expect(plan(["a".repeat(40)]).excluded).toContain("a/ep has a 8-token context, the longest input needs about 10");
  });
});

describe("embedding models in the catalog file", () => {
  const catalog = (outputModalities: string[], pricings: Record<string, unknown>) => ({
    providers: [{ slug: "acme", name: "Acme", adapter: "openai", baseUrl: "https://acme.example/v1" }],
    models: [
      {
        id: "acme/embed",
        name: "Embed",
        contextLength: 8192,
        outputModalities,
        endpoints: [{ provider: "acme", name: "acme_embed", upstreamModel: "embed", pricings }],
      },
    ],
  });
  const messages = (result: ReturnType<typeof catalogSchema.safeParse>) => (result.success ? [] : result.error.issues.map((issue) => issue.message));

  it("need a prompt price only", () => {
    expect(catalogSchema.safeParse(catalog(["embedding"], { prompt: usd(0.02) })).success).toBe(true);
    expect(messages(catalogSchema.safeParse(catalog(["embedding"], { completion: usd(1) })))).toEqual(["a prompt price is required"]);
    expect(messages(catalogSchema.safeParse(catalog(["text"], { prompt: usd(0.02) })))).toEqual(["prompt and completion prices are required"]);
  });

  it("output embeddings and nothing else", () => {
    expect(messages(catalogSchema.safeParse(catalog(["text", "embedding"], { prompt: usd(0.02) })))).toContain("an embedding model outputs embeddings only");
  });
});
