import { describe, expect, it } from "vitest";
import type { GenerationRecord } from "../gateway/ports/gateway-deps.ts";
import { parseProvisionalRecord, serializeProvisionalRecord } from "./provisional-record.ts";

const record: GenerationRecord = {
  id: "gen_1",
  userId: "u1",
  apiKeyId: null,
  api: "responses",
  upstreamApi: "messages",
  requestedModel: "test/claude",
  modelSlug: "test/claude",
  providerSlug: "claude-native",
  endpointId: "ep1",
  streamed: true,
  status: "success",
  httpStatus: 200,
  errorType: null,
  errorMessage: null,
  finishReason: null,
  promptTokens: 3,
  completionTokens: 4,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costNanoUsd: 42n,
  costBreakdown: null,
  ttftMs: 5,
  latencyMs: null,
  throughput: null,
  createdAt: new Date("2026-12-05T10:00:00.000Z"),
  attempts: [],
};

describe("a stream checkpoint's stored record", () => {
  it("keeps a Responses call and the upstream's protocol through a crash (they were unreadable, so recovery wrote no record)", () => {
    expect(parseProvisionalRecord(serializeProvisionalRecord(record))).toEqual(record);
  });

  it("reads a record checkpointed before the upstream's protocol was kept", () => {
    const { upstreamApi: _upstreamApi, ...older } = record;
    expect(parseProvisionalRecord(serializeProvisionalRecord({ ...older, api: "chat" }))).toEqual({ ...older, api: "chat" });
  });
});
