/**
 * The Gemini request body: what the Gemini CLI and Google's own examples send is
 * accepted (camel or snake keys, gateway fields, fields the gateway does not read), and a
 * body Google would refuse is a 400 invalid_params naming the field.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../errors.ts";
import { parseGeminiRequest } from "./request-schema.ts";

type Json = Record<string, unknown>;

/** A request as the Gemini CLI sends it (system prompt as a user Content, JSON-schema tools, dynamic thinking). */
const cliRequest: Json = {
  contents: [
    { role: "user", parts: [{ text: "List the files" }] },
    {
      role: "model",
      parts: [{ text: "Listing.", thought: true, thoughtSignature: "c2ln" }, { functionCall: { name: "list_directory", args: { path: "." } } }],
    },
    { role: "user", parts: [{ functionResponse: { id: "list_directory-1-a", name: "list_directory", response: { output: "a.txt" } } }] },
  ],
  systemInstruction: { role: "user", parts: [{ text: "You are a CLI agent." }] },
  tools: [
    {
      functionDeclarations: [
        {
          name: "list_directory",
          description: "Lists a directory",
          parametersJsonSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
        },
      ],
    },
  ],
  generationConfig: { temperature: 0, topP: 1, thinkingConfig: { includeThoughts: true, thinkingBudget: -1 } },
};

function refusal(body: unknown): GatewayError {
  try {
    parseGeminiRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("the body was accepted");
}

describe("parseGeminiRequest accepts", () => {
  it("a Gemini CLI request, unchanged", () => {
    expect(parseGeminiRequest(structuredClone(cliRequest))).toEqual(cliRequest);
  });

  it("gateway fields and fields it does not read (passed through), a string systemInstruction, non-function tools", () => {
    const body = {
      contents: [
        {
          parts: [
            { text: "hi", partMetadata: { x: 1 } },
            { fileData: { fileUri: "https://example.com/v.mp4" }, videoMetadata: { startOffset: "1s" } },
          ],
        },
      ],
      systemInstruction: "Be brief.",
      tools: [{ googleSearch: {} }, { codeExecution: {} }],
      safetySettings: [{ category: "HARM_CATEGORY_HATE_SPEECH", threshold: "BLOCK_NONE" }],
      cachedContent: "cachedContents/1",
      labels: { team: "a" },
      provider: { routing: { type: "order", providers: ["openai"] } },
      models: ["openai/gpt-4.1-mini"],
      "zenmux-route": { strategy: "latency" },
    };
    expect(parseGeminiRequest(structuredClone(body))).toEqual(body);
  });

  it("snake_case field names as Google's parser does, leaving user data (args, schema property names) alone", () => {
    const request = parseGeminiRequest({
      system_instruction: { parts: [{ text: "sys" }] },
      contents: [
        { role: "user", parts: [{ inline_data: { mime_type: "image/png", data: "iVBORw0KGgo=" } }, { function_call: { name: "f", args: { user_id: 1 } } }] },
      ],
      tools: [{ function_declarations: [{ name: "f", parameters: { type: "OBJECT", properties: { user_id: { type: "STRING" } } } }] }],
      tool_config: { function_calling_config: { mode: "ANY", allowed_function_names: ["f"] } },
      generation_config: { max_output_tokens: 10, thinking_config: { thinking_budget: 0 } },
    });
    expect(request).toEqual({
      systemInstruction: { parts: [{ text: "sys" }] },
      contents: [
        { role: "user", parts: [{ inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } }, { functionCall: { name: "f", args: { user_id: 1 } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: "f", parameters: { type: "OBJECT", properties: { user_id: { type: "STRING" } } } }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] } },
      generationConfig: { maxOutputTokens: 10, thinkingConfig: { thinkingBudget: 0 } },
    });
  });
});

const contents = (parts: unknown[], role = "user") => ({ contents: [{ role, parts }] });

describe("parseGeminiRequest refuses with 400 invalid_params naming the field", () => {
  it.each([
    ["a body that is not an object", [], "The request body must be a JSON object", undefined],
    ["no contents", {}, "contents: is required", "contents"],
    ["empty contents", { contents: [] }, "contents: can not be empty", "contents"],
    ["a content without parts", { contents: [{ role: "user", parts: [] }] }, "contents[0].parts: can not be empty", "contents[0].parts"],
    ["an unknown role", contents([{ text: "hi" }], "assistant"), "contents[0].role: is not valid: expected user, model, function", "contents[0].role"],
    [
      "a part with none of the known kinds",
      { contents: [{ parts: [{ text: "ok" }] }, { role: "model", parts: [{ image: "x" }] }] },
      "contents[1].parts[0]: is not valid: a part needs one of text, inlineData, fileData, functionCall, functionResponse, executableCode, codeExecutionResult",
      "contents[1].parts[0]",
    ],
    [
      "a part with two kinds",
      contents([{ text: "a", inlineData: { mimeType: "image/png", data: "AA==" } }]),
      "contents[0].parts[0]: is not valid: a part holds only one of text, inlineData, fileData, functionCall, functionResponse, executableCode, codeExecutionResult (this one has text and inlineData)",
      "contents[0].parts[0]",
    ],
    ["a text that is not a string", contents([{ text: 5 }]), "contents[0].parts[0].text: is not valid: expected string", "contents[0].parts[0].text"],
    [
      "inlineData without data",
      contents([{ inlineData: { mimeType: "image/png" } }]),
      "contents[0].parts[0].inlineData.data: is required",
      "contents[0].parts[0].inlineData.data",
    ],
    [
      "fileData without a URI",
      contents([{ fileData: { mimeType: "image/png" } }]),
      "contents[0].parts[0].fileData.fileUri: is required",
      "contents[0].parts[0].fileData.fileUri",
    ],
    [
      "a functionCall without a name",
      contents([{ functionCall: { args: {} } }], "model"),
      "contents[0].parts[0].functionCall.name: is required",
      "contents[0].parts[0].functionCall.name",
    ],
    [
      "functionCall args that are not an object",
      contents([{ functionCall: { name: "f", args: "{}" } }], "model"),
      "contents[0].parts[0].functionCall.args: is not valid: expected an object",
      "contents[0].parts[0].functionCall.args",
    ],
    [
      "a functionResponse without a name",
      contents([{ functionResponse: { response: {} } }]),
      "contents[0].parts[0].functionResponse.name: is required",
      "contents[0].parts[0].functionResponse.name",
    ],
    [
      "a systemInstruction that is neither",
      { ...contents([{ text: "hi" }]), systemInstruction: 5 },
      "systemInstruction: is not valid: expected a Content object or a string",
      "systemInstruction",
    ],
    [
      "a bad part in the systemInstruction",
      { ...contents([{ text: "hi" }]), systemInstruction: { parts: [{}] } },
      "systemInstruction.parts[0]: is not valid: a part needs one of text, inlineData, fileData, functionCall, functionResponse, executableCode, codeExecutionResult",
      "systemInstruction.parts[0]",
    ],
    [
      "a function name Google refuses",
      { ...contents([{ text: "hi" }]), tools: [{ functionDeclarations: [{ name: "get weather" }] }] },
      "tools[0].functionDeclarations[0].name: is not valid: a function name starts with a letter or _ and has at most 128 letters, digits, _ . : -",
      "tools[0].functionDeclarations[0].name",
    ],
    [
      "an unknown calling mode",
      { ...contents([{ text: "hi" }]), toolConfig: { functionCallingConfig: { mode: "SOMETIMES" } } },
      "toolConfig.functionCallingConfig.mode: is not valid: expected AUTO, ANY, NONE, VALIDATED",
      "toolConfig.functionCallingConfig.mode",
    ],
    [
      "a temperature out of range",
      { ...contents([{ text: "hi" }]), generationConfig: { temperature: 3 } },
      "generationConfig.temperature: is not valid: must be between 0 and 2",
      "generationConfig.temperature",
    ],
    [
      "maxOutputTokens 0",
      { ...contents([{ text: "hi" }]), generationConfig: { maxOutputTokens: 0 } },
      "generationConfig.maxOutputTokens: must be at least 1",
      "generationConfig.maxOutputTokens",
    ],
    [
      "a thinking budget below -1",
      { ...contents([{ text: "hi" }]), generationConfig: { thinkingConfig: { thinkingBudget: -2 } } },
      "generationConfig.thinkingConfig.thinkingBudget: must be -1 (dynamic) or at least 0",
      "generationConfig.thinkingConfig.thinkingBudget",
    ],
    [
      "more than 5 stop sequences",
      { ...contents([{ text: "hi" }]), generationConfig: { stopSequences: ["a", "b", "c", "d", "e", "f"] } },
      "generationConfig.stopSequences: can have at most 5 sequences",
      "generationConfig.stopSequences",
    ],
  ] as const)("%s", (_name, body, message, param) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe("invalid_params");
    expect(error.message).toBe(message);
    expect(error.param).toBe(param);
  });
});
