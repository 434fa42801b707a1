"use client";
/** Admin: the catalog's models with their endpoints; enable or disable, edit, import and export the whole catalog. */
import Link from "next/link";
import { useRef, useState, type ChangeEvent } from "react";
import { ConsoleApiError } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { FormAlert } from "@/components/ui/form-alert";
import type { AdminModelRow } from "@/lib/catalog/admin/catalog-admin-service";
import type { CatalogImportResult } from "@/lib/catalog/admin/catalog-import";
import { CATALOG_EXPORT_URL, useAdminModels, useImportCatalog, useSetModelEnabled } from "./use-admin-models";

function describePrice(row: AdminModelRow): string {
  const pricings = row.model.endpoints[0]?.pricings;
  const first = (item: "prompt" | "completion") => pricings?.[item]?.[0]?.value;
  // An embedding model has no completion price.
  const completion = first("completion");
  return pricings ? `$${first("prompt")} / ${completion === undefined ? "—" : `$${completion}`}` : "—";
}

export function ModelsManager({ initialModels }: { initialModels: AdminModelRow[] }) {
  const models = useAdminModels(initialModels);
  const setEnabled = useSetModelEnabled();
  const importCatalog = useImportCatalog();
  const [imported, setImported] = useState<CatalogImportResult | null>(null);
  const importLines =
    importCatalog.error instanceof ConsoleApiError ? Object.entries(importCatalog.error.fields).map(([path, message]) => `${path}: ${message}`) : [];

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setImported(null);
    importCatalog.mutate(await file.text(), { onSuccess: (result) => setImported(result.data) });
  }

  return (
    <>
      <CatalogToolbar importing={importCatalog.isPending} onFile={upload} />
      {importLines.length > 0 ? <ImportErrors lines={importLines} /> : <FormAlert>{importCatalog.error?.message}</FormAlert>}
      {imported ? <ImportSummary imported={imported} /> : null}
      <FormAlert>{setEnabled.error?.message}</FormAlert>
      <DataTable
        caption="Models"
        columns={[
          { label: "Model" },
          { label: "Endpoints", align: "right" },
          { label: "Prompt / completion per M" },
          { label: "Source" },
          { label: "Status" },
          { label: "Actions", hidden: true },
        ]}
      >
        {(models.data ?? []).map((row) => (
          <ModelRow key={row.id} row={row} pending={setEnabled.isPending} onSetEnabled={(enabled) => setEnabled.mutate({ id: row.id, enabled })} />
        ))}
      </DataTable>
    </>
  );
}

function CatalogToolbar({ importing, onFile }: { importing: boolean; onFile: (event: ChangeEvent<HTMLInputElement>) => void }) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <div className="mb-4 flex flex-wrap items-center gap-2">
      <Link href="/admin/models/new" className="inline-flex items-center rounded-md bg-teal-700 px-3 py-2 text-sm font-medium text-white hover:bg-teal-800">
        Add model
      </Link>
      <a
        href={CATALOG_EXPORT_URL}
        download
        className="inline-flex items-center rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Export catalog
      </a>
      <Button variant="secondary" disabled={importing} onClick={() => fileInput.current?.click()}>
        Import catalog…
      </Button>
      <input ref={fileInput} type="file" accept="application/json,.json" aria-label="Catalog file to import" className="sr-only" onChange={onFile} />
    </div>
  );
}

function ImportErrors({ lines }: { lines: string[] }) {
  return (
    <div role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
      <p className="font-medium">The file was not imported; nothing changed:</p>
      <ul className="mt-1 list-disc pl-5 font-mono text-xs">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

function ImportSummary({ imported }: { imported: CatalogImportResult }) {
  return (
    <p role="status" className="mb-4 text-sm text-teal-700 dark:text-teal-400">
      Imported: {imported.created.length} created, {imported.updated.length} updated, {imported.unchanged.length} unchanged, {imported.missing.length} not in
      the file.
    </p>
  );
}

function ModelRow({ row, pending, onSetEnabled }: { row: AdminModelRow; pending: boolean; onSetEnabled: (enabled: boolean) => void }) {
  const enabled = row.model.enabled ?? true;
  const live = row.model.endpoints.filter((e) => e.enabled ?? true).length;
  return (
    <tr data-testid={`model-${row.model.id}`}>
      <td className="px-3 py-2">
        <div className="font-medium">{row.model.name}</div>
        <div className="font-mono text-xs text-zinc-500">{row.model.id}</div>
      </td>
      <td className="px-3 py-2 text-right tabular-nums">
        {live}/{row.model.endpoints.length}
      </td>
      <td className="px-3 py-2 tabular-nums">{describePrice(row)}</td>
      <td className="px-3 py-2">{row.source === "admin" ? "console" : "catalog file"}</td>
      <td className="px-3 py-2">{enabled ? "enabled" : "disabled"}</td>
      <td className="px-3 py-2 text-right whitespace-nowrap">
        <Link
          href={`/admin/models/${row.id}`}
          className="mr-2 text-sm font-medium text-teal-700 hover:underline dark:text-teal-400"
          aria-label={`Edit ${row.model.id}`}
        >
          Edit
        </Link>
        <Button variant="ghost" disabled={pending} onClick={() => onSetEnabled(!enabled)} aria-label={`${enabled ? "Disable" : "Enable"} ${row.model.id}`}>
          {enabled ? "Disable" : "Enable"}
        </Button>
      </td>
    </tr>
  );
}
