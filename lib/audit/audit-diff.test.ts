import { describe, expect, it } from "vitest";
import { diffAuditValues } from "./audit-diff.ts";

describe("diffAuditValues", () => {
  it("lists only the fields that changed, nested ones as dotted paths", () => {
    const before = { slug: "acme", enabled: true, credential: "sk-…abcd", limits: { rpm: 10, tpm: 100 } };
    const after = { slug: "acme", enabled: false, credential: "sk-…wxyz", limits: { rpm: 20, tpm: 100 }, note: "new" };
    expect(diffAuditValues(before, after)).toEqual([
      { field: "enabled", before: "true", after: "false" },
      { field: "credential", before: '"sk-…abcd"', after: '"sk-…wxyz"' },
      { field: "limits.rpm", before: "10", after: "20" },
      { field: "note", before: null, after: '"new"' },
    ]);
  });

  it("shows every field of a creation (no before) and of a deletion (no after)", () => {
    expect(diffAuditValues(null, { slug: "acme", enabled: true })).toEqual([
      { field: "slug", before: null, after: '"acme"' },
      { field: "enabled", before: null, after: "true" },
    ]);
    expect(diffAuditValues({ slug: "acme" }, null)).toEqual([{ field: "slug", before: '"acme"', after: null }]);
  });

  it("compares arrays and scalars as a whole", () => {
    expect(diffAuditValues({ models: ["a", "b"] }, { models: ["a", "b"] })).toEqual([]);
    expect(diffAuditValues({ models: ["a"] }, { models: ["a", "b"] })).toEqual([{ field: "models", before: '["a"]', after: '["a","b"]' }]);
    expect(diffAuditValues(1, 2)).toEqual([{ field: "(value)", before: "1", after: "2" }]);
  });
});
