import "server-only";
/** Console API (admins): providers, their credentials and the credential test. */
import { invalidateCatalogSnapshot } from "../../catalog/catalog-cache.ts";
import { getDb } from "../../db/client.ts";
import { readJsonBody } from "../../http/api-error.ts";
import { consoleRoute } from "../../http/console-route.ts";
import { jsonResponse } from "../../http/json-response.ts";
import { getGateway } from "../../server/gateway.ts";
import { getCredentialCipher } from "../credential-store.ts";
import { createAdminProvider, listAdminProviders, updateAdminProvider } from "../provider-admin.ts";
import { providerAdminDeps } from "../provider-admin-deps.ts";
import { testProviderCredential } from "../provider-credential-test.ts";

const noStore = { "cache-control": "no-store" };

export const handleListProviders = consoleRoute(async () => jsonResponse({ data: await listAdminProviders(providerAdminDeps()) }, { headers: noStore }), {
  admin: true,
});

export const handleCreateProvider = consoleRoute(
  async ({ request, user }) => {
    const provider = await createAdminProvider(providerAdminDeps(), user, await readJsonBody(request));
    invalidateCatalogSnapshot();
    return jsonResponse({ data: provider }, { status: 201, headers: noStore });
  },
  { admin: true },
);

export const handleUpdateProvider = consoleRoute<{ id: string }>(
  async ({ request, user, params }) => {
    const provider = await updateAdminProvider(providerAdminDeps(), user, params.id, await readJsonBody(request));
    invalidateCatalogSnapshot();
    return jsonResponse({ data: provider }, { headers: noStore });
  },
  { admin: true },
);

export const handleTestCredential = consoleRoute<{ id: string }>(
  async ({ request, user, params }) => {
    const result = await testProviderCredential(
      { db: getDb(), cipher: getCredentialCipher(), env: process.env, transport: getGateway().transport },
      user,
      params.id,
      await readJsonBody(request),
    );
    return jsonResponse({ data: result }, { headers: noStore });
  },
  { admin: true },
);
