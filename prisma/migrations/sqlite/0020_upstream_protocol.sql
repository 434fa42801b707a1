-- The protocol of the upstream that served a call, beside the client's (`api`), so the
-- activity log shows e.g. "OpenAI Chat → Anthropic". Earlier rows have none (NULL).
ALTER TABLE "Generation" ADD COLUMN "upstreamApi" TEXT;
