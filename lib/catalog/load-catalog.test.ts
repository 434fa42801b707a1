import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogFile, parseCatalogText, resolveCatalogPath, BUILTIN_CATALOG_PATH } from "./load-catalog";

const EXAMPLE_PATH = path.resolve(import.meta.dirname, "../../tests/fixtures/architecture-example-catalog.json");
const example = () => JSON.parse(readFileSync(EXAMPLE_PATH, "utf8"));
type Mutable = ReturnType<typeof example>;

function errorsFor(mutate: (catalog: Mutable) => void): string[] {
  const catalog = example();
  mutate(catalog);
  const result = parseCatalogText(JSON.stringify(catalog), "test.json");
  if (result.ok) throw new Error("expected the catalog to be rejected");
  return result.errors;
}

describe("catalog validation", () => {
  it("accepts the minimal shape from ARCHITECTURE §5 as it is written", () => {
    const result = loadCatalogFile(EXAMPLE_PATH);
    expect(result.ok).toBe(true);
  });

  const malformed: { name: string; mutate: (c: Mutable) => void; message: string }[] = [
    {
      name: "endpoint names a provider that does not exist",
      mutate: (c) => (c.models[0].endpoints[0].provider = "x"),
      message: 'models[0].endpoints[0].provider: unknown provider "x"',
    },
    {
      name: "provider adapter is not a known kind",
      mutate: (c) => (c.providers[0].adapter = "grpc"),
      message: 'providers[0].adapter: expected one of "openai", "anthropic", "responses", "gemini", got "grpc"',
    },
    {
      name: "base URL is not http(s)",
      mutate: (c) => (c.providers[1].baseUrl = "ftp://api.example.com"),
      message: "providers[1].baseUrl: expected an http(s) URL",
    },
    { name: "model id has no vendor", mutate: (c) => (c.models[0].id = "chat-1"), message: 'models[0].id: expected a model id like "vendor/model-name"' },
    { name: "context length is missing", mutate: (c) => delete c.models[0].contextLength, message: "models[0].contextLength: required (expected number)" },
    {
      name: "context length is a string",
      mutate: (c) => (c.models[0].contextLength = "128k"),
      message: 'models[0].contextLength: expected number, got "128k"',
    },
    {
      name: "a negative price",
      mutate: (c) => (c.models[0].endpoints[0].pricings.prompt[0].value = -1),
      message: "models[0].endpoints[0].pricings.prompt[0].value: a price cannot be negative",
    },
    {
      name: "a misspelled fee item",
      mutate: (c) => (c.models[0].endpoints[0].pricings.promt = c.models[0].endpoints[0].pricings.prompt),
      message: 'models[0].endpoints[0].pricings: unknown field "promt"',
    },
    {
      name: "a price unit that does not exist",
      mutate: (c) => (c.models[0].endpoints[0].pricings.completion[0].unit = "perToken"),
      message: 'models[0].endpoints[0].pricings.completion[0].unit: expected one of "perMTokens", "perCount", "perSecond", got "perToken"',
    },
    {
      name: "a currency other than USD",
      mutate: (c) => (c.models[0].endpoints[0].pricings.completion[0].currency = "EUR"),
      message: 'models[0].endpoints[0].pricings.completion[0].currency: expected one of "USD", got "EUR"',
    },
    { name: "a model without endpoints", mutate: (c) => (c.models[0].endpoints = []), message: "models[0].endpoints: a model needs at least one endpoint" },
    { name: "a duplicate provider slug", mutate: (c) => (c.providers[1].slug = "acme-cloud"), message: 'providers[1].slug: duplicate provider "acme-cloud"' },
    { name: "a duplicate model id", mutate: (c) => c.models.push(structuredClone(c.models[0])), message: 'models[1].id: duplicate model "acme/chat-1"' },
    {
      name: "an alias used by two models",
      mutate: (c) =>
        c.models.push({
          ...structuredClone(c.models[0]),
          id: "acme/chat-2",
          endpoints: [{ ...structuredClone(c.models[0].endpoints[0]), name: "acme_chat_2" }],
        }),
      message: 'models[1].aliases[0]: alias "chat-1" already belongs to acme/chat-1',
    },
    { name: "an unknown field (a typo)", mutate: (c) => (c.models[0].contextLenght = 5), message: 'models[0]: unknown field "contextLenght"' },
    {
      name: "an endpoint without completion price",
      mutate: (c) => delete c.models[0].endpoints[0].pricings.completion,
      message: "models[0].endpoints[0].pricings: prompt and completion prices are required",
    },
    {
      name: "overlapping tiers",
      mutate: (c) =>
        (c.models[0].endpoints[0].pricings.prompt = [
          { value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: 200 } } },
          { value: 2, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 100 } } },
        ]),
      message: "models[0].endpoints[0].pricings.prompt: tiers overlap",
    },
    {
      name: "tiers with a gap",
      mutate: (c) =>
        (c.models[0].endpoints[0].pricings.prompt = [
          { value: 1, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 0, lt: 128 } } },
          { value: 2, unit: "perMTokens", currency: "USD", conditions: { prompt_tokens: { unit: "kTokens", gte: 200 } } },
        ]),
      message: "models[0].endpoints[0].pricings.prompt: tiers leave a gap",
    },
    {
      name: "an apiKeyEnv naming the gateway's session secret",
      mutate: (c) => (c.providers[0].apiKeyEnv = "AUTH_SECRET"),
      message: "providers[0].apiKeyEnv: AUTH_SECRET is one of the gateway's own secrets and is never sent to a provider",
    },
    {
      name: "an apiKeyEnv naming the database URL",
      mutate: (c) => (c.providers[1].apiKeyEnv = "DATABASE_URL"),
      message: "providers[1].apiKeyEnv: DATABASE_URL is one of the gateway's own secrets and is never sent to a provider",
    },
    {
      name: "an apiKeyEnv naming an OAuth client secret",
      mutate: (c) => (c.providers[0].apiKeyEnv = "GITHUB_CLIENT_SECRET"),
      message: "providers[0].apiKeyEnv: GITHUB_CLIENT_SECRET is one of the gateway's own secrets and is never sent to a provider",
    },
    {
      name: "an apiKeyEnv that is not a provider key name",
      mutate: (c) => (c.providers[0].apiKeyEnv = "HOME"),
      message:
        "providers[0].apiKeyEnv: HOME is not a provider key variable: use a name ending in _API_KEY (like ACME_API_KEY), or list it in PROVIDER_KEY_ENVS",
    },
    { name: "providers is not an array", mutate: (c) => (c.providers = {}), message: "providers: expected array, got an object" },
    {
      name: "an apiKeyEnv that is not an env var name",
      mutate: (c) => (c.providers[0].apiKeyEnv = "my key"),
      message: "providers[0].apiKeyEnv: expected an environment variable name like ACME_API_KEY",
    },
  ];

  for (const { name, mutate, message } of malformed) {
    it(`rejects ${name}`, () => {
      expect(errorsFor(mutate)).toContain(message);
    });
  }

  it("rejects text that is not JSON, naming the line and column", () => {
    const result = parseCatalogText('{\n  "providers": [,\n}', "bad.json");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/^not valid JSON: .+ at line 2, column \d+$/);
  });

  it("reports a missing file in one line", () => {
    const result = loadCatalogFile(path.join(os.tmpdir(), "no-such-catalog.json"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual(["cannot read the catalog file: no such file"]);
  });

  it("reports every problem in the file's structure, not just the first", () => {
    const errors = errorsFor((c) => {
      c.providers[0].adapter = "grpc";
      c.models[0].endpoints[0].pricings.prompt[0].value = -1;
    });
    expect(errors).toHaveLength(2);
  });

  it("uses CATALOG_FILE relative to the working directory, else the built-in catalog", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "catalog-"));
    writeFileSync(path.join(dir, "mine.json"), "{}");
    expect(resolveCatalogPath({ CATALOG_FILE: "mine.json" }, dir)).toBe(path.join(dir, "mine.json"));
    expect(resolveCatalogPath({}, dir)).toBe(BUILTIN_CATALOG_PATH);
  });
});
