import "server-only";
/** Console API for the signed-in user's own API keys. */
import { getCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseInput } from "../../errors/validation-error.ts";
import { toApiKeyDto } from "../api-key-dto.ts";
import { createApiKeyInputSchema, updateApiKeyInputSchema } from "../api-key-input.ts";
import { createApiKey, deleteApiKey, listApiKeys, revokeApiKey, updateApiKey } from "../api-key-service.ts";
import { getKeyVerifier } from "../key-auth.ts";

const noStore = { "cache-control": "no-store" };

async function knownModelSlugs(): Promise<Set<string>> {
  return new Set((await getCatalogSnapshot()).models.map((m) => m.slug));
}

export const handleListApiKeys = consoleRoute(async ({ user }) => {
  const keys = await listApiKeys(getDb(), user.id);
  return jsonResponse({ data: keys.map(toApiKeyDto) }, { headers: noStore });
});

export const handleCreateApiKey = consoleRoute(async ({ request, user }) => {
  const input = parseInput(createApiKeyInputSchema, await readJsonBody(request));
  const { key, summary } = await createApiKey(getDb(), user.id, input, await knownModelSlugs());
  // The only response that ever contains the full key.
  return jsonResponse({ key, data: toApiKeyDto(summary) }, { status: 201, headers: noStore });
});

export const handleUpdateApiKey = consoleRoute<{ id: string }>(async ({ request, user, params }) => {
  const input = parseInput(updateApiKeyInputSchema, await readJsonBody(request));
  const { summary, hash } = await updateApiKey(getDb(), user.id, params.id, input, await knownModelSlugs());
  getKeyVerifier().invalidateHash(hash);
  return jsonResponse({ data: toApiKeyDto(summary) }, { headers: noStore });
});

export const handleRevokeApiKey = consoleRoute<{ id: string }>(async ({ user, params }) => {
  const { summary, hash } = await revokeApiKey(getDb(), user.id, params.id);
  getKeyVerifier().invalidateHash(hash);
  return jsonResponse({ data: toApiKeyDto(summary) }, { headers: noStore });
});

export const handleDeleteApiKey = consoleRoute<{ id: string }>(async ({ user, params }) => {
  const { hash } = await deleteApiKey(getDb(), user.id, params.id);
  getKeyVerifier().invalidateHash(hash);
  return new Response(null, { status: 204 });
});
