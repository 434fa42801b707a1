"use client";
/** The API keys page: list, create (shown once), edit limits, revoke, delete. */
import { KeyRound, Plus } from "lucide-react";
import { useState } from "react";
import { CodeBlock } from "@/components/code-block";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ApiKeyDto } from "@/lib/keys/api-key-dto";
import { ApiKeyFormDialog } from "./api-key-form-dialog";
import { NewKeyDialog } from "./new-key-dialog";
import { useApiKeys, useCreateApiKey, useDeleteApiKey, useRevokeApiKey, useUpdateApiKey } from "./use-api-keys";
import { DataTable } from "@/components/ui/data-table";

const STATUS_STYLE: Record<ApiKeyDto["status"], string> = {
  active: "bg-teal-50 text-teal-800 dark:bg-teal-950 dark:text-teal-200",
  expired: "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  revoked: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
};

function formatDate(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "Never";
}

function describeLimits(key: ApiKeyDto): string {
  const parts = [
    key.allowedModels ? `${key.allowedModels.length} model${key.allowedModels.length > 1 ? "s" : ""}` : null,
    key.spendLimitTotalUsd ? `$${key.spendLimitTotalUsd} total` : null,
    key.spendLimitDayUsd ? `$${key.spendLimitDayUsd}/day` : null,
    key.spendLimitMonthUsd ? `$${key.spendLimitMonthUsd}/month` : null,
    key.rpmLimit ? `${key.rpmLimit} req/min` : null,
    key.tpmLimit ? `${key.tpmLimit.toLocaleString()} tok/min` : null,
    key.expiresAt ? `expires ${new Date(key.expiresAt).toLocaleDateString()}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No limits";
}

function KeysRefreshError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="mb-4 flex items-center justify-between rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
      Could not refresh the keys: {message}
      <Button variant="ghost" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}

function FirstKeyPrompt({ origin, onCreate }: { origin: string; onCreate: () => void }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
      <KeyRound aria-hidden className="mx-auto size-8 text-zinc-400" />
      <h2 className="mt-3 font-medium">Create your first API key</h2>
      <p className="mx-auto mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">Then call any model in the catalog with it:</p>
      <div className="mx-auto mt-4 max-w-2xl text-left">
        <CodeBlock
          label="curl"
          code={`curl ${origin}/api/v1/chat/completions \\\n  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "openai/gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}'`}
        />
      </div>
      <Button className="mt-6" onClick={onCreate}>
        <Plus aria-hidden className="size-4" /> Create key
      </Button>
    </div>
  );
}

type KeyActions = { onEdit: (key: ApiKeyDto) => void; onRevoke: (key: ApiKeyDto) => void; onDelete: (key: ApiKeyDto) => void };

function KeyRow({ apiKey, showCreator, onEdit, onRevoke, onDelete }: { apiKey: ApiKeyDto; showCreator: boolean } & KeyActions) {
  return (
    <tr>
      <td className="px-3 py-2 font-medium">{apiKey.name}</td>
      {showCreator ? <td className="px-3 py-2 break-all">{apiKey.creator ?? "—"}</td> : null}
      <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{apiKey.start}…</td>
      <td className="px-3 py-2">
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[apiKey.status]}`}>{apiKey.status}</span>
      </td>
      <td className="whitespace-nowrap px-3 py-2">{formatDate(apiKey.createdAt)}</td>
      <td className="whitespace-nowrap px-3 py-2">{formatDate(apiKey.lastUsedAt)}</td>
      <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{describeLimits(apiKey)}</td>
      <td className="px-3 py-2 text-right tabular-nums">${apiKey.spentUsd}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">
        {apiKey.yours ? (
          <Button variant="ghost" aria-label={`Edit ${apiKey.name}`} onClick={() => onEdit(apiKey)}>
            Edit
          </Button>
        ) : null}
        {apiKey.status !== "revoked" ? (
          <Button variant="ghost" aria-label={`Revoke ${apiKey.name}`} onClick={() => onRevoke(apiKey)}>
            Revoke
          </Button>
        ) : null}
        <Button variant="ghost" aria-label={`Delete ${apiKey.name}`} onClick={() => onDelete(apiKey)}>
          Delete
        </Button>
      </td>
    </tr>
  );
}

function KeysTable({ keys, showCreators, ...actions }: { keys: ApiKeyDto[]; showCreators: boolean } & KeyActions) {
  return (
    <DataTable
      caption={showCreators ? "The organization's API keys" : "Your API keys"}
      columns={[
        { label: "Name" },
        ...(showCreators ? [{ label: "Created by" }] : []),
        { label: "Key" },
        { label: "Status" },
        { label: "Created" },
        { label: "Last used" },
        { label: "Limits" },
        { label: "Spent", align: "right" },
        { label: "Actions", hidden: true },
      ]}
    >
      {keys.map((key) => (
        <KeyRow key={key.id} apiKey={key} showCreator={showCreators} {...actions} />
      ))}
    </DataTable>
  );
}

/** `organization`: the active organization, when not the personal account; its admins see every member's keys. */
export function KeysManager({
  initialKeys,
  origin,
  organization = null,
}: {
  initialKeys: ApiKeyDto[];
  origin: string;
  organization?: { name: string; admin: boolean } | null;
}) {
  const keys = useApiKeys(initialKeys);
  const createKey = useCreateApiKey();
  const updateKey = useUpdateApiKey();
  const revokeKey = useRevokeApiKey();
  const deleteKey = useDeleteApiKey();
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<ApiKeyDto | null>(null);
  const [newKey, setNewKey] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ key: ApiKeyDto; action: "revoke" | "delete" } | null>(null);
  const list = keys.data ?? [];

  const openCreate = () => {
    setEditing(null);
    setFormOpen(true);
  };

  const openEdit = (key: ApiKeyDto) => {
    setEditing(key);
    setFormOpen(true);
  };

  return (
    <>
      <PageHeader
        title="API Keys"
        description={
          organization
            ? `Keys of ${organization.name}: calls with them are paid from the organization's balance and count against your member limits.`
            : "Keys let your applications call the gateway. Each key can be limited by model, spend, rate and expiry."
        }
        actions={
          list.length > 0 ? (
            <Button onClick={openCreate}>
              <Plus aria-hidden className="size-4" /> Create key
            </Button>
          ) : null
        }
      />
      {keys.isError ? <KeysRefreshError message={keys.error.message} onRetry={() => keys.refetch()} /> : null}
      {list.length === 0 ? (
        <FirstKeyPrompt origin={origin} onCreate={openCreate} />
      ) : (
        <KeysTable
          keys={list}
          showCreators={organization?.admin ?? false}
          onEdit={openEdit}
          onRevoke={(key) => setConfirm({ key, action: "revoke" })}
          onDelete={(key) => setConfirm({ key, action: "delete" })}
        />
      )}

      <ApiKeyFormDialog
        open={formOpen}
        editing={editing}
        onClose={() => setFormOpen(false)}
        onSubmit={async (input) => {
          if (editing) await updateKey.mutateAsync({ id: editing.id, input });
          else setNewKey((await createKey.mutateAsync(input)).key);
        }}
      />
      <NewKeyDialog apiKey={newKey} onClose={() => setNewKey(null)} />
      <ConfirmDialog
        open={confirm !== null}
        danger
        title={confirm?.action === "revoke" ? `Revoke “${confirm.key.name}”?` : `Delete “${confirm?.key.name}”?`}
        body={
          confirm?.action === "revoke"
            ? "Requests with this key will be refused immediately. The key stays in the list, marked revoked."
            : "The key stops working immediately and leaves this list. Its past activity keeps its name."
        }
        confirmLabel={confirm?.action === "revoke" ? "Revoke key" : "Delete key"}
        pending={revokeKey.isPending || deleteKey.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          if (!confirm) return;
          if (confirm.action === "revoke") await revokeKey.mutateAsync(confirm.key.id);
          else await deleteKey.mutateAsync(confirm.key.id);
          setConfirm(null);
        }}
      />
    </>
  );
}
