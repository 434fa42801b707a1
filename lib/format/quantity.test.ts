import { describe, expect, it } from "vitest";
import { formatQuantity, pluralize } from "./quantity";

describe("formatQuantity", () => {
  it("agrees in number", () => {
    expect(formatQuantity(1, "request")).toBe("1 request");
    expect(formatQuantity(0, "request")).toBe("0 requests");
    expect(formatQuantity(2, "request")).toBe("2 requests");
    expect(formatQuantity(1234, "call")).toBe("1,234 calls");
  });
  it("takes an irregular plural and a preformatted figure", () => {
    expect(formatQuantity(1, "body", { plural: "bodies" })).toBe("1 body");
    expect(formatQuantity(3, "body", { plural: "bodies" })).toBe("3 bodies");
    expect(formatQuantity(1200, "token", { figure: "1.2K" })).toBe("1.2K tokens");
    expect(formatQuantity(1, "token", { figure: "1" })).toBe("1 token");
  });
  it("only exactly one is singular", () => {
    expect(pluralize(1, "model")).toBe("model");
    expect(pluralize(1.5, "model")).toBe("models");
    expect(pluralize(-1, "model")).toBe("models");
  });
});
