import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors.ts";
import type { StoredConversation } from "../../ports/gateway-deps.ts";
import { responsesRequestToChat } from "../translate/responses-over-chat.ts";
import { parseResponsesRequest, previousResponseIdOf } from "./request-schema.ts";
import { carriedItems, inputItemsOf, listedItemId } from "./stored-context.ts";

const previous: StoredConversation = {
  id: "resp_1",
  inputItems: [{ type: "message", role: "user", content: [{ type: "input_text", text: "Weather in Paris?" }] }],
  outputItems: [
    { id: "rs_1_0", type: "reasoning", summary: [{ type: "summary_text", text: "Thinking" }] },
    { id: "fc_1_1", type: "function_call", status: "completed", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
  ],
};

function refusal(body: unknown, stored: StoredConversation | null): GatewayError {
  try {
    parseResponsesRequest(body, stored);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("parsed without an error");
}

describe("continuing a stored response (previous_response_id)", () => {
  it("puts the stored input and output before this request's input, and answers a call made there", () => {
    const request = parseResponsesRequest(
      { model: "m", previous_response_id: "resp_1", input: [{ type: "function_call_output", call_id: "call_1", output: "Sunny" }] },
      previous,
    );
    // The reasoning item (a summary only) is left out: see below.
    expect(request.input).toEqual([previous.inputItems[0], previous.outputItems[1], { type: "function_call_output", call_id: "call_1", output: "Sunny" }]);
  });

  it("turns a string input into a user message after the stored conversation", () => {
    const request = parseResponsesRequest({ model: "m", previous_response_id: "resp_1", input: "And tomorrow?" }, previous);
    expect(request.input).toEqual([...carriedItems(previous), { type: "message", role: "user", content: [{ type: "input_text", text: "And tomorrow?" }] }]);
  });

  it("does not carry the earlier instructions: only this request's reach the Chat hub, first", () => {
    const stored: StoredConversation = {
      id: "resp_2",
      inputItems: inputItemsOf("Hi"),
      outputItems: [
        {
          id: "msg_2_0",
          type: "message",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Hello!", annotations: [], logprobs: [] }],
        },
      ],
    };
    const chat = responsesRequestToChat(
      parseResponsesRequest({ model: "m", previous_response_id: "resp_2", instructions: "Be brief.", input: "Again" }, stored),
    ).body;
    expect(chat.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Hi" }] },
      { role: "assistant", content: "Hello!" },
      { role: "user", content: [{ type: "text", text: "Again" }] },
    ]);
  });

  it("leaves out stored reasoning items that carry no encrypted_content, and keeps those that do", () => {
    expect(carriedItems(previous).map((item) => item.type)).toEqual(["message", "function_call"]);
    const encrypted = { ...previous, outputItems: [{ id: "rs_1", type: "reasoning", summary: [], encrypted_content: "abc" }] };
    expect(carriedItems(encrypted).map((item) => item.type)).toEqual(["message", "reasoning"]);
  });

  it("is a 404 naming previous_response_id when the id was not found, as OpenAI answers", () => {
    for (const stored of [null, { ...previous, id: "resp_other" }]) {
      const error = refusal({ model: "m", previous_response_id: "resp_1", input: "x" }, stored);
      expect(error).toMatchObject({ status: 404, param: "previous_response_id", message: "Previous response with id 'resp_1' not found." });
    }
  });

  it("still refuses a tool result whose call is neither in the input nor in the stored response, at the client's index", () => {
    const error = refusal(
      {
        model: "m",
        previous_response_id: "resp_1",
        input: [
          { role: "user", content: "x" },
          { type: "function_call_output", call_id: "call_9", output: "?" },
        ],
      },
      previous,
    );
    expect(error).toMatchObject({ status: 400, param: "input[1].call_id" });
    expect(error.message).toContain("or in the previous response");
  });

  it("reads the id from the raw body before validation, ignoring what is not a non-empty string", () => {
    expect(previousResponseIdOf({ previous_response_id: "resp_1" })).toBe("resp_1");
    for (const body of [{}, { previous_response_id: "" }, { previous_response_id: 7 }, null, [], "x"]) expect(previousResponseIdOf(body)).toBeNull();
  });

  it("lists items under their own id, or one derived from the response and the place", () => {
    expect(listedItemId({ id: "msg_a" }, "resp_x", 3)).toBe("msg_a");
    expect(listedItemId({ type: "message" }, "resp_x", 3)).toBe("item_x_3");
  });
});
