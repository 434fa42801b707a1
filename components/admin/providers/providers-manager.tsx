"use client";
/** Admin → Providers: list, add, edit, enable/disable, test a credential. */
import { Plus } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import type { AdminProviderDto } from "@/lib/provider-config/provider-dto";
import { CredentialTestDialog } from "./credential-test-dialog";
import { ProviderFormDialog, type ProviderFormResult } from "./provider-form-dialog";
import { useAdminProviders, useCreateProvider, useUpdateProvider } from "./use-admin-providers";

function CredentialCell({ provider }: { provider: AdminProviderDto }) {
  const { credential } = provider;
  if (credential.effective === "environment") {
    return (
      <span>
        from <code className="text-xs">{credential.envVar}</code> (environment{credential.stored ? "; overrides the stored one" : ""})
      </span>
    );
  }
  if (credential.storedProblem) return <span className="text-red-700 dark:text-red-400">stored, unusable: {credential.storedProblem}</span>;
  if (credential.effective === "stored")
    return (
      <span>
        stored: <code className="text-xs">{credential.storedHint}</code>
      </span>
    );
  return <span className="text-amber-700 dark:text-amber-400">none{credential.envVar ? ` (${credential.envVar} unset)` : ""}</span>;
}

export function ProvidersManager({ initialProviders, privateAllowed }: { initialProviders: AdminProviderDto[]; privateAllowed: boolean }) {
  const providers = useAdminProviders(initialProviders);
  const createProvider = useCreateProvider();
  const updateProvider = useUpdateProvider();
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<AdminProviderDto | null>(null);
  const [testing, setTesting] = useState<AdminProviderDto | null>(null);
  const [toggleError, setToggleError] = useState<string | null>(null);

  async function save(result: ProviderFormResult) {
    if (result.kind === "create") await createProvider.mutateAsync(result.input);
    else if (editing) await updateProvider.mutateAsync({ id: editing.id, input: result.input });
  }

  function toggle(provider: AdminProviderDto) {
    setToggleError(null);
    updateProvider.mutate(
      { id: provider.id, input: { enabled: !provider.enabled } },
      { onError: (error) => setToggleError(`${provider.slug}: ${error.message}`) },
    );
  }

  return (
    <>
      <PageHeader
        title="Providers"
        description={
          <>
            Upstream services the gateway routes to. Credentials are encrypted at rest and never shown again; a provider&apos;s environment variable, when set,
            wins over a stored credential. Changes reach the gateway within a second.
            {privateAllowed
              ? " Private and loopback base URLs are allowed (ALLOW_PRIVATE_UPSTREAMS=true)."
              : " Base URLs on private, loopback or metadata addresses are refused (set ALLOW_PRIVATE_UPSTREAMS=true for self-hosted upstreams)."}
          </>
        }
        actions={
          <Button
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
          >
            <Plus aria-hidden className="size-4" /> Add provider
          </Button>
        }
      />
      {toggleError ? (
        <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {toggleError}
        </p>
      ) : null}
      <DataTable
        caption="Providers"
        columns={[
          { label: "Provider" },
          { label: "Adapter" },
          { label: "Base URL" },
          { label: "Credential" },
          { label: "Endpoints", align: "right" },
          { label: "Status" },
          { label: "Actions", hidden: true },
        ]}
      >
        {(providers.data ?? []).map((provider) => (
          <ProviderRow
            key={provider.id}
            provider={provider}
            onTest={() => setTesting(provider)}
            onEdit={() => {
              setEditing(provider);
              setFormOpen(true);
            }}
            onToggle={() => toggle(provider)}
          />
        ))}
      </DataTable>
      <ProviderFormDialog open={formOpen} editing={editing} onSubmit={save} onClose={() => setFormOpen(false)} />
      <CredentialTestDialog provider={testing} onClose={() => setTesting(null)} />
    </>
  );
}

function ProviderRow({ provider, onTest, onEdit, onToggle }: { provider: AdminProviderDto; onTest: () => void; onEdit: () => void; onToggle: () => void }) {
  return (
    <tr data-provider={provider.slug}>
      <td className="px-3 py-2">
        <div className="font-medium">{provider.name}</div>
        <div className="text-xs text-zinc-500">
          {provider.slug} · {provider.source === "catalog" ? "catalog file" : "console"}
        </div>
      </td>
      <td className="px-3 py-2">{provider.adapter}</td>
      <td className="max-w-xs truncate px-3 py-2 font-mono text-xs" title={provider.baseUrl}>
        {provider.baseUrl}
      </td>
      <td className="px-3 py-2 text-xs">
        <CredentialCell provider={provider} />
      </td>
      <td className="px-3 py-2 text-right tabular-nums">
        {provider.enabledEndpoints}/{provider.endpoints}
      </td>
      <td className="px-3 py-2">
        {!provider.enabled ? (
          "Disabled"
        ) : provider.credential.effective === "none" ? (
          <span className="text-amber-700 dark:text-amber-400">Not configured</span>
        ) : (
          "Enabled"
        )}
      </td>
      <td className="px-3 py-2">
        <div className="flex justify-end gap-1">
          <Button variant="ghost" onClick={onTest} aria-label={`Test credential of ${provider.slug}`}>
            Test credential
          </Button>
          <Button variant="ghost" onClick={onEdit} aria-label={`Edit ${provider.slug}`}>
            Edit
          </Button>
          <Button variant="ghost" onClick={onToggle} aria-label={`${provider.enabled ? "Disable" : "Enable"} ${provider.slug}`}>
            {provider.enabled ? "Disable" : "Enable"}
          </Button>
        </div>
      </td>
    </tr>
  );
}
