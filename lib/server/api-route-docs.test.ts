import { describe, expect, it } from "vitest";
import { displayPath, endpointDocs, ROUTE_DOCS } from "./api-route-docs.ts";
import { API_SURFACES } from "./api-routes.ts";

describe("the docs page's endpoint list", () => {
  it("has a protocol and a one-line purpose for every route the server answers: a new route without its line fails here", () => {
    const undocumented = API_SURFACES.flatMap((s) => s.routes)
      .filter((route) => !ROUTE_DOCS[route.path]?.purpose || !ROUTE_DOCS[route.path]?.protocol)
      .map((route) => route.path);
    expect(undocumented).toEqual([]);
  });

  it("lists every route of the table, in its order, with its methods and a readable path", () => {
    const docs = endpointDocs();
    const paths = docs.map((d) => d.path);
    for (const surface of API_SURFACES) {
      if (surface.routes.length === 0) expect(paths).toContain(`${surface.prefix}/…`);
      for (const route of surface.routes) expect(paths).toContain(displayPath(route.path));
    }
    expect(docs.find((d) => d.path === "/api/v1/responses")).toMatchObject({ methods: "POST", protocol: "OpenAI Responses" });
    expect(docs.find((d) => d.path === "/api/v1/models/{id}")).toMatchObject({ methods: "GET, HEAD" });
    expect(docs.every((d) => d.purpose.length > 0)).toBe(true);
  });

  it("writes a catch-all segment as a path parameter", () => {
    expect(displayPath("/api/anthropic/v1/models/[...id]")).toBe("/api/anthropic/v1/models/{id}");
    expect(displayPath("/api/v1/chat/completions")).toBe("/api/v1/chat/completions");
  });
});
