/**
 * Provider credentials and what upstreams echo of them, over HTTP against the real server
 * in catalog-file mode, on SQLite and PostgreSQL: a catalog import cannot name one of the
 * gateway's own secrets as a provider key (nor can a row written straight into the
 * database make the gateway send one); a provider added by a console import keeps the
 * connect-time address check; and an upstream error echoing our credential in many forms
 * reaches clients of both surfaces as valid JSON without any of them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogFile } from "@/lib/catalog/catalog-schema";
import { createDb, type Db } from "@/lib/db/client";
import { ConsoleClient } from "@/tests/support/console-client";
import { startGatewayFixture, type GatewayFixture } from "@/tests/support/gateway-fixture";
import { availableDatabaseKinds, createTestTarget } from "@/tests/support/test-database";

const PASSWORD = "long enough password";
const CREDENTIAL = "fake-upstream-secret-credential";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const percentEveryByte = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");

/** Every form an echo takes in the tests; none may reach a client or the log. */
const ECHOES = [
  CREDENTIAL,
  CREDENTIAL.toUpperCase(),
  b64(CREDENTIAL),
  Buffer.from(CREDENTIAL).toString("base64url"),
  b64(`api:${CREDENTIAL}`),
  percentEveryByte(CREDENTIAL),
  CREDENTIAL.slice(0, 14),
];
const ECHOING_MESSAGE = `header "Authorization: Bearer ${CREDENTIAL}" refused; seen as ${CREDENTIAL.toUpperCase()}, ${b64(CREDENTIAL)}, ${Buffer.from(CREDENTIAL).toString("base64url")}, Basic ${b64(`api:${CREDENTIAL}`)}, ${percentEveryByte(CREDENTIAL)} and ${CREDENTIAL.slice(0, 14)}…`;

const post = (gw: GatewayFixture, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${gw.key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("provider secrets", async () => {
  for (const kind of await availableDatabaseKinds()) {
    describe(kind, () => {
      let gw: GatewayFixture;
      let db: Db;
      let owner: ConsoleClient;
      let dropTarget: (() => Promise<void>) | undefined;
      let attacker: Server;
      let attackerHits = 0;

      beforeAll(async () => {
        const target = kind === "postgres" ? await createTestTarget("postgres") : null;
        dropTarget = target?.dropTarget;
        gw = await startGatewayFixture({ ALLOW_PRIVATE_UPSTREAMS: "" }, target ? { database: target.target } : {});
        db = createDb(gw.dbTarget);
        owner = new ConsoleClient(gw.url);
        expect(await owner.signIn("dev@example.com", PASSWORD)).toBeNull();
        attacker = createServer((_request, response) => {
          attackerHits += 1;
          response.writeHead(200, { "content-type": "application/json" }).end("{}");
        });
        await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
      }, 120_000);
      afterAll(async () => {
        await new Promise((resolve) => attacker?.close(resolve));
        await db?.$disconnect();
        await gw?.stop();
        await dropTarget?.();
      });

      const currentCatalog = () => JSON.parse(readFileSync(gw.catalogFile, "utf8")) as CatalogFile;
      const importCatalog = (catalog: CatalogFile) => owner.fetch("/api/console/admin/catalog", { json: catalog });
      const withProvider = (provider: Record<string, unknown>, model?: string) => {
        const catalog = currentCatalog();
        catalog.providers.push(provider as CatalogFile["providers"][0]);
        if (model)
          catalog.models.push({
            id: model,
            name: model,
            contextLength: 8000,
            endpoints: [
              {
                provider: provider.slug as string,
                name: `${provider.slug}_ep`,
                upstreamModel: "fake-model",
                pricings: { prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }], completion: [{ value: 2, unit: "perMTokens", currency: "USD" }] },
              },
            ],
          } as CatalogFile["models"][0]);
        return catalog;
      };

      it.each([
        ["AUTH_SECRET", /AUTH_SECRET is one of the gateway's own secrets/],
        ["DATABASE_URL", /DATABASE_URL is one of the gateway's own secrets/],
        ["GITHUB_CLIENT_SECRET", /GITHUB_CLIENT_SECRET is one of the gateway's own secrets/],
        ["HOME", /HOME is not a provider key variable: use a name ending in _API_KEY/],
      ])("refuses an import whose provider reads its key from %s, naming the field, and changes nothing", async (name, message) => {
        const before = readFileSync(gw.catalogFile, "utf8");
        const catalog = withProvider({ slug: "thief", name: "Thief", adapter: "openai", baseUrl: "https://93.184.216.34/v1", apiKeyEnv: name });
        const refused = await importCatalog(catalog);
        expect(refused.status).toBe(400);
        expect((await refused.json()).error.fields).toEqual({ [`providers[${catalog.providers.length - 1}].apiKeyEnv`]: expect.stringMatching(message) });
        expect(await db.provider.count({ where: { slug: "thief" } })).toBe(0);
        expect(readFileSync(gw.catalogFile, "utf8")).toBe(before);
      });

      it("never sends a gateway secret upstream, even from a provider row that names one", async () => {
        const fast = await db.provider.findUniqueOrThrow({ where: { slug: "fast" } });
        const stolen = await db.provider.create({
          data: {
            slug: "stolen",
            name: "Stolen",
            adapter: "openai",
            baseUrl: fast.baseUrl.replace("/p/fast/", "/p/stolen/"),
            apiKeyEnv: "AUTH_SECRET",
            source: "catalog",
          },
        });
        const model = await db.model.create({
          data: {
            slug: "stolen/chat",
            vendor: "stolen",
            displayName: "stolen/chat",
            inputModalities: '["text"]',
            outputModalities: '["text"]',
            capabilities: '{"tools":false,"vision":false,"reasoning":false,"json":false}',
            contextLength: 8000,
            source: "catalog",
          },
        });
        await db.endpoint.create({
          data: {
            modelId: model.id,
            providerId: stolen.id,
            name: "stolen_ep",
            upstreamModel: "fake-model",
            pricings: JSON.stringify({
              prompt: [{ value: 1, unit: "perMTokens", currency: "USD" }],
              completion: [{ value: 2, unit: "perMTokens", currency: "USD" }],
            }),
          },
        });
        const deadline = Date.now() + 10_000;
        let response: Response;
        // The catalog watch picks the rows up within about a second.
        do response = await post(gw, "/api/v1/chat/completions", { model: "stolen/chat", messages: [{ role: "user", content: "hi" }] });
        while (response.status === 404 && Date.now() < deadline);
        expect(response.status).toBe(502);
        expect((await response.json()).error.message).toMatch(/provider stolen has no credential configured/);
        expect(gw.fake.stats().byProvider.stolen).toBeUndefined();
      });

      it("refuses at save an imported provider on a private address", async () => {
        const catalog = withProvider(
          {
            slug: "inside",
            name: "Inside",
            adapter: "openai",
            baseUrl: `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/v1`,
            apiKeyEnv: "FAKE_UPSTREAM_API_KEY",
          },
          "inside/chat",
        );
        const refused = await importCatalog(catalog);
        expect(refused.status).toBe(400);
        expect((await refused.json()).error.fields[`providers[${catalog.providers.length - 1}].baseUrl`]).toMatch(/loopback/);
      });

      it("keeps the connect-time address check for a provider a file-mode import added (DNS rebinding)", async () => {
        // Disabled until it is "rebound", so nothing is ever sent to the public address.
        const imported = await importCatalog(
          withProvider(
            { slug: "imported", name: "Imported", adapter: "openai", baseUrl: "https://93.184.216.34/v1", apiKeyEnv: "FAKE_UPSTREAM_API_KEY", enabled: false },
            "imported/chat",
          ),
        );
        expect(imported.status).toBe(200);
        expect(currentCatalog().providers.map((p) => p.slug)).toContain("imported");
        expect(await db.provider.findUniqueOrThrow({ where: { slug: "imported" } })).toMatchObject({ source: "admin" });
        // As if its name resolved to a private address now: the row points at a listener on loopback.
        await db.provider.update({
          where: { slug: "imported" },
          data: { enabled: true, baseUrl: `http://localhost:${(attacker.address() as AddressInfo).port}/v1` },
        });
        const deadline = Date.now() + 10_000;
        let response: Response;
        let message = "";
        // The catalog watch brings the change within about a second.
        do {
          response = await post(gw, "/api/v1/chat/completions", { model: "imported/chat", messages: [{ role: "user", content: "hi" }] });
          message = (await response.json()).error?.message ?? "";
        } while (!/Every provider failed/.test(message) && attackerHits === 0 && Date.now() < deadline);
        expect(message).toMatch(/Every provider failed \(imported: provider_unreachable\)/);
        expect(response.status).toBe(502);
        expect(attackerHits).toBe(0);
      });

      it.each([
        [
          "the OpenAI surface",
          "/api/v1/chat/completions",
          "echo-openai",
          { model: "test/echo-openai:echo-openai", messages: [{ role: "user", content: "hi" }] },
        ],
        [
          "the Anthropic surface",
          "/api/anthropic/v1/messages",
          "echo-claude",
          { model: "test/echo-claude:echo-claude", max_tokens: 20, messages: [{ role: "user", content: "hi" }] },
        ],
        [
          "a 400 from the other protocol",
          "/api/v1/chat/completions",
          "echo-claude",
          { model: "test/echo-claude:echo-claude", messages: [{ role: "user", content: "hi" }] },
        ],
      ])("gives %s valid JSON without any echo of the credential", async (_name, path, provider, body) => {
        gw.fake.setKnobs(provider, { failStatus: _name.startsWith("a 400") ? 400 : 401, failMessage: ECHOING_MESSAGE });
        const response = await post(gw, path, body, { "anthropic-version": "2023-06-01" });
        const text = await response.text();
        expect(response.status).toBe(_name.startsWith("a 400") ? 400 : 401);
        expect(() => JSON.parse(text)).not.toThrow();
        expect(text).toMatch(/refused/);
        for (const echo of ECHOES) expect(text.toLowerCase()).not.toContain(echo.toLowerCase());
        for (const echo of ECHOES) expect(gw.server.output().toLowerCase()).not.toContain(echo.toLowerCase());
      });

      it.each([
        ["OpenAI client, OpenAI upstream", "/api/v1/chat/completions", "echo-openai", {}],
        ["OpenAI client, Anthropic upstream", "/api/v1/chat/completions", "echo-claude", {}],
        ["Anthropic client, Anthropic upstream", "/api/anthropic/v1/messages", "echo-claude", { max_tokens: 50 }],
        ["Anthropic client, OpenAI upstream", "/api/anthropic/v1/messages", "echo-openai", { max_tokens: 50 }],
      ])("redacts the credential from an error event in the middle of a stream (%s)", async (_name, path, provider, extra) => {
        // Two chunks of content, then the provider's error event echoing our credential, then the end.
        gw.fake.clearKnobs(provider);
        gw.fake.setKnobs(provider, { cut: "error", cutAfterChunks: 2, failMessage: ECHOING_MESSAGE });
        try {
          const response = await post(
            gw,
            path,
            { model: `test/${provider}:${provider}`, stream: true, messages: [{ role: "user", content: "hi" }], ...extra },
            { "anthropic-version": "2023-06-01" },
          );
          const text = await response.text();
          expect(response.status).toBe(200);
          expect(text).toMatch(/error/);
          for (const echo of ECHOES) expect(text.toLowerCase()).not.toContain(echo.toLowerCase());
          for (const echo of ECHOES) expect(gw.server.output().toLowerCase()).not.toContain(echo.toLowerCase());
        } finally {
          gw.fake.clearKnobs(provider);
        }
      });
    });
  }
});
