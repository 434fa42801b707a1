import "server-only";
/**
 * Console API for the active account's API keys. In an organization a member sees and manages
 * the keys they created; its admins see every key with its creator and may revoke or delete any
 * (the full key is only ever in the creation's answer, to its creator).
 */
import { getCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { parseInput } from "../../errors/validation-error.ts";
import { toApiKeyDto } from "../api-key-dto.ts";
import { createApiKeyInputSchema, updateApiKeyInputSchema } from "../api-key-input.ts";
import { createApiKey, deleteApiKey, listApiKeys, revokeApiKey, updateApiKey, type KeyScope } from "../api-key-service.ts";
import type { ActiveAccount } from "../../organizations/active-account.ts";
import { getKeyVerifier } from "../key-auth.ts";

const noStore = { "cache-control": "no-store" };

async function knownModelSlugs(): Promise<Set<string>> {
  return new Set((await getCatalogSnapshot()).models.map((m) => m.slug));
}

/** Which keys the person may see and manage in the account. */
function keyScope(account: ActiveAccount): KeyScope {
  return { accountId: account.id, membershipId: account.role === "admin" ? null : account.membershipId };
}

/** Changing a key's limits or models is its creator's (or, in a personal account, its owner's). */
function ownKeys(account: ActiveAccount): KeyScope {
  return { accountId: account.id, membershipId: account.membershipId };
}

export const handleListApiKeys = consoleRoute(async ({ user, account }) => {
  const keys = await listApiKeys(getDb(), keyScope(account));
  return jsonResponse({ data: keys.map((k) => toApiKeyDto(k, user.email)) }, { headers: noStore });
});

export const handleCreateApiKey = consoleRoute(async ({ request, user, account }) => {
  const input = parseInput(createApiKeyInputSchema, await readJsonBody(request));
  const { key, summary } = await createApiKey(getDb(), account.id, input, await knownModelSlugs(), undefined, { membershipId: account.membershipId });
  if (account.membershipId) summary.creator = user.email;
  // The only response that ever contains the full key.
  return jsonResponse({ key, data: toApiKeyDto(summary, user.email) }, { status: 201, headers: noStore });
});

export const handleUpdateApiKey = consoleRoute<{ id: string }>(async ({ request, user, account, params }) => {
  const input = parseInput(updateApiKeyInputSchema, await readJsonBody(request));
  const { summary, hash } = await updateApiKey(getDb(), ownKeys(account), params.id, input, await knownModelSlugs());
  getKeyVerifier().invalidateHash(hash);
  return jsonResponse({ data: toApiKeyDto(summary, user.email) }, { headers: noStore });
});

export const handleRevokeApiKey = consoleRoute<{ id: string }>(async ({ user, account, params }) => {
  const { summary, hash } = await revokeApiKey(getDb(), keyScope(account), params.id);
  getKeyVerifier().invalidateHash(hash);
  return jsonResponse({ data: toApiKeyDto(summary, user.email) }, { headers: noStore });
});

export const handleDeleteApiKey = consoleRoute<{ id: string }>(async ({ account, params }) => {
  const { hash } = await deleteApiKey(getDb(), keyScope(account), params.id);
  getKeyVerifier().invalidateHash(hash);
  return new Response(null, { status: 204 });
});
