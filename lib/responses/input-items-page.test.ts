import { describe, expect, it } from "vitest";
import { GatewayError } from "../gateway/errors.ts";
import { pageOfInputItems, parseInputItemsQuery } from "./input-items-page.ts";

const items = Array.from({ length: 5 }, (_, i) => ({ type: "message", role: "user", content: `m${i}`, ...(i === 2 ? { id: "msg_own" } : {}) }));
const query = (text: string) => parseInputItemsQuery(new URLSearchParams(text));
const ids = (page: { data: Record<string, unknown>[] }) => page.data.map((item) => item.id);

describe("input items pages", () => {
  it("defaults to newest first, 20 per page, with ids of their own or derived ones", () => {
    const page = pageOfInputItems(items, "resp_r", query(""));
    expect(ids(page)).toEqual(["item_r_4", "item_r_3", "msg_own", "item_r_1", "item_r_0"]);
    expect(page).toMatchObject({ object: "list", first_id: "item_r_4", last_id: "item_r_0", has_more: false });
  });

  it("pages with limit and after, in either order, until has_more is false", () => {
    const first = pageOfInputItems(items, "resp_r", query("order=asc&limit=2"));
    expect(ids(first)).toEqual(["item_r_0", "item_r_1"]);
    expect(first.has_more).toBe(true);
    const second = pageOfInputItems(items, "resp_r", query(`order=asc&limit=2&after=${first.last_id}`));
    expect(ids(second)).toEqual(["msg_own", "item_r_3"]);
    const last = pageOfInputItems(items, "resp_r", query(`order=asc&limit=2&after=${second.last_id}`));
    expect(ids(last)).toEqual(["item_r_4"]);
    expect(last.has_more).toBe(false);
    expect(ids(pageOfInputItems(items, "resp_r", query("limit=2&after=msg_own")))).toEqual(["item_r_1", "item_r_0"]);
  });

  it("lists string content as one text part, as OpenAI does", () => {
    const page = pageOfInputItems(
      [
        { type: "message", role: "user", content: "hi" },
        { type: "message", role: "assistant", content: "hello" },
      ],
      "resp_r",
      query("order=asc"),
    );
    expect(page.data.map((item) => item.content)).toEqual([[{ type: "input_text", text: "hi" }], [{ type: "output_text", text: "hello" }]]);
  });

  it("answers an empty page after the last item, with null ids", () => {
    expect(pageOfInputItems(items, "resp_r", query("after=item_r_0"))).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false });
  });

  it.each([
    ["order=sideways", "order"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=2.5", "limit"],
    ["limit=many", "limit"],
  ])("refuses %s naming the parameter", (text, param) => {
    expect(() => query(text)).toThrow(GatewayError);
    try {
      query(text);
    } catch (error) {
      expect(error).toMatchObject({ status: 400, param });
    }
  });

  it("refuses an after cursor that names no item of the response", () => {
    expect(() => pageOfInputItems(items, "resp_r", query("after=msg_nowhere"))).toThrow(/after is not valid/);
  });
});
