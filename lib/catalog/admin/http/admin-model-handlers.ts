import "server-only";
/** Console API (admins): models and endpoints, and the whole catalog's import and export. */
import { getDb } from "../../../db/client.ts";
import { readJsonBody } from "../../../http/api-error.ts";
import { consoleRoute } from "../../../http/console-route.ts";
import { jsonResponse } from "../../../http/json-response.ts";
import { ValidationError } from "../../../errors/validation-error.ts";
import { catalogEditMode, getAdminModel, listAdminModels, saveAdminModel, setAdminModelEnabled } from "../catalog-admin-service.ts";
import { exportCatalog } from "../catalog-export.ts";
import { serializeCatalog } from "../catalog-file-writer.ts";
import { importCatalogText, MAX_IMPORT_BYTES } from "../catalog-import.ts";
import { providerAdminDeps } from "../../../provider-config/provider-admin-deps.ts";
import { checkUpstreamUrl } from "../../../provider-config/url-policy.ts";

const noStore = { "cache-control": "no-store" };
type IdParams = { id: string };

export const handleListModels = consoleRoute(
  async () => {
    const mode = catalogEditMode();
    return jsonResponse({ data: await listAdminModels(getDb()), mode: mode.kind, catalogFile: mode.kind === "file" ? mode.path : null }, { headers: noStore });
  },
  { admin: true },
);

export const handleCreateModel = consoleRoute(
  async ({ request, user }) => {
    const saved = await saveAdminModel(getDb(), user, await readJsonBody(request), { id: null });
    return jsonResponse({ data: saved.row, changes: saved.changes }, { status: 201, headers: noStore });
  },
  { admin: true },
);

export const handleGetModel = consoleRoute<IdParams>(
  async ({ params }) => jsonResponse({ data: await getAdminModel(getDb(), params.id) }, { headers: noStore }),
  { admin: true },
);

export const handleReplaceModel = consoleRoute<IdParams>(
  async ({ request, user, params }) => {
    const saved = await saveAdminModel(getDb(), user, await readJsonBody(request), { id: params.id });
    return jsonResponse({ data: saved.row, changes: saved.changes }, { headers: noStore });
  },
  { admin: true },
);

export const handleSetModelEnabled = consoleRoute<IdParams>(
  async ({ request, user, params }) => {
    const body = (await readJsonBody(request)) as { enabled?: unknown } | null;
    if (typeof body?.enabled !== "boolean") throw new ValidationError({ enabled: "Send enabled: true or false" });
    const saved = await setAdminModelEnabled(getDb(), user, params.id, body.enabled);
    return jsonResponse({ data: saved.row, changes: saved.changes }, { headers: noStore });
  },
  { admin: true },
);

export const handleExportCatalog = consoleRoute(
  async () => {
    const day = new Date().toISOString().slice(0, 10);
    return new Response(serializeCatalog(await exportCatalog(getDb())), {
      headers: {
        ...noStore,
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="switchyard-catalog-${day}.json"`,
      },
    });
  },
  { admin: true },
);

/** The body is the catalog file itself, as uploaded. */
export const handleImportCatalog = consoleRoute(
  async ({ request, user }) => {
    const text = await request.text();
    if (text.length > MAX_IMPORT_BYTES) throw new ValidationError({ file: `The file is larger than ${MAX_IMPORT_BYTES} bytes` });
    const { allowPrivate, resolve } = providerAdminDeps();
    const checkBaseUrl = (raw: string) => checkUpstreamUrl(raw, { allowPrivate, resolve });
    return jsonResponse({ data: await importCatalogText(getDb(), user, text, checkBaseUrl) }, { headers: noStore });
  },
  { admin: true },
);
