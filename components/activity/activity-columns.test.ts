import { describe, expect, it } from "vitest";
import { DEFAULT_COLUMNS, parseColumnChoice } from "./activity-columns";

describe("parseColumnChoice", () => {
  it("gives the defaults when nothing is stored or the value is not a list of names", () => {
    expect(parseColumnChoice(null)).toEqual(DEFAULT_COLUMNS);
    expect(parseColumnChoice("not json")).toEqual(DEFAULT_COLUMNS);
    expect(parseColumnChoice('{"model":true}')).toEqual(DEFAULT_COLUMNS);
    expect(parseColumnChoice("[1,2]")).toEqual(DEFAULT_COLUMNS);
  });

  it("keeps the stored columns it knows, in their order, and drops the rest", () => {
    expect(parseColumnChoice('["ttft","status","gone"]')).toEqual(["ttft", "status"]);
  });

  it("keeps an empty choice empty (only Time and Details shown)", () => {
    expect(parseColumnChoice("[]")).toEqual([]);
  });

  it("shows status, finish reason and the key by default (Time and the Details link always show)", () => {
    expect(DEFAULT_COLUMNS).toEqual(expect.arrayContaining(["status", "finish", "key"]));
  });
});
