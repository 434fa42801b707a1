import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowedMethods, API_SURFACES, matchApiPath } from "./api-routes.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const EDGE = "handleApiEdge";

/** method → the handler a route file exports for it (`export { handler as METHOD } from "…"`). */
function exportsOf(file: string): Map<string, string> {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const exported = new Map<string, string>();
  for (const [, names] of text.matchAll(/export \{([^}]+)\} from/g)) {
    for (const part of names.split(",")) {
      const [handler, method] = part.trim().split(/\s+as\s+/);
      if (method) exported.set(method, handler);
    }
  }
  return exported;
}

function routeFilesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === "route.ts")
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe("the API route table", () => {
  it("matches paths, catch-all segments included, and tells the surfaces apart", () => {
    expect(matchApiPath("/api/v1/chat/completions")?.route?.core).toBe("chat");
    expect(matchApiPath("/api/v1/models/openai/gpt-4o")?.route?.path).toBe("/api/v1/models/[...id]");
    expect(matchApiPath("/api/v1/models/openai%2Fgpt-4o")?.route?.path).toBe("/api/v1/models/[...id]");
    expect(matchApiPath("/api/v1/models")?.route?.path).toBe("/api/v1/models");
    expect(matchApiPath("/api/v1/responses")?.route?.core).toBe("responses");
    expect(matchApiPath("/api/v1/responses/resp_1")?.route?.path).toBe("/api/v1/responses/[id]");
    expect(matchApiPath("/api/v1/responses/resp_1/input_items")?.route?.path).toBe("/api/v1/responses/[id]/input_items");
    expect(matchApiPath("/api/v1/responses/resp_1/other")).toMatchObject({ surface: { protocol: "openai" }, route: null });
    expect(matchApiPath("/api/v1/responses/")).toMatchObject({ surface: { protocol: "openai" }, route: null });
    expect(matchApiPath("/api/v1")).toMatchObject({ surface: { protocol: "openai" }, route: null });
    expect(matchApiPath("/api/anthropic")?.route?.probe).toBe(true);
    expect(matchApiPath("/api/anthropic/v1/complete")).toMatchObject({ surface: { protocol: "anthropic" }, route: null });
    expect(matchApiPath("/api/vertex-ai/v1beta/models/google/gemini-2.5-pro:generateContent")?.route).toMatchObject({
      path: "/api/vertex-ai/v1beta/models/[...name]",
      core: "gemini",
    });
    expect(matchApiPath("/api/vertex-ai/v1/publishers/google/models/gemini-2.5-pro:streamGenerateContent")?.route?.path).toBe(
      "/api/vertex-ai/v1/publishers/[...name]",
    );
    expect(matchApiPath("/api/vertex-ai/v1beta/models")?.route?.path).toBe("/api/vertex-ai/v1beta/models");
    expect(matchApiPath("/api/vertex-ai/v2/models/x:generateContent")).toMatchObject({ surface: { protocol: "google" }, route: null });
    for (const outside of ["/api/v1x", "/api/health", "/api/console/keys", "/api/auth/session", "/login", "/"]) expect(matchApiPath(outside)).toBeNull();
  });

  it("allows HEAD with GET, and OPTIONS everywhere", () => {
    expect(allowedMethods({ path: "/x", methods: ["GET"] })).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(allowedMethods({ path: "/x", methods: ["POST"] })).toEqual(["POST", "OPTIONS"]);
  });

  it("agrees with app/api: every route has its file, answering its methods itself and every other method through the edge", () => {
    for (const surface of API_SURFACES) {
      for (const route of surface.routes) {
        // Probes are answered by the surface's catch-all.
        const file = route.probe ? `app${surface.prefix}/[[...rest]]/route.ts` : `app${route.path}/route.ts`;
        const exported = exportsOf(file);
        for (const method of ROUTE_METHODS) {
          const expected = route.probe
            ? EDGE
            : route.methods.some((m) => m === method)
              ? "own"
              : method === "HEAD" && route.methods.includes("GET")
                ? undefined
                : EDGE;
          const actual = exported.get(method);
          expect(expected === "own" ? actual !== undefined && actual !== EDGE : actual === expected, `${file} ${method}: ${actual ?? "not exported"}`).toBe(
            true,
          );
        }
      }
    }
  });

  it("lists every route file under the API prefixes (a new route must be added to the table)", () => {
    for (const surface of API_SURFACES) {
      const files = routeFilesUnder(`app${surface.prefix}`);
      const listed = new Set([`app${surface.prefix}/[[...rest]]/route.ts`, ...surface.routes.filter((r) => !r.probe).map((r) => `app${r.path}/route.ts`)]);
      expect(files.filter((file) => !listed.has(file))).toEqual([]);
      expect(files).toContain(`app${surface.prefix}/[[...rest]]/route.ts`);
      const catchAll = exportsOf(`app${surface.prefix}/[[...rest]]/route.ts`);
      expect(ROUTE_METHODS.filter((method) => catchAll.get(method) !== EDGE)).toEqual([]);
    }
  });
});
