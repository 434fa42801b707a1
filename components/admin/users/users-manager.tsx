"use client";
/** Admin: every account with balance and spend; change role, suspend or restore, adjust the balance. */
import { useState, type FormEvent } from "react";
import { ConsoleApiError, fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { Modal } from "@/components/ui/modal";
import type { AdminUserRow } from "@/lib/auth/user-admin";
import { useAdjustBalance, useAdminUsers, useUpdateUser } from "./use-admin-users";

const errorText = (error: unknown) =>
  error instanceof ConsoleApiError ? (Object.values(error.fields)[0] ?? error.message) : error instanceof Error ? error.message : null;

export function UsersManager({ initialUsers, currentUserId }: { initialUsers: AdminUserRow[]; currentUserId: string }) {
  const users = useAdminUsers(initialUsers);
  const updateUser = useUpdateUser();
  const [suspending, setSuspending] = useState<AdminUserRow | null>(null);
  const [adjusting, setAdjusting] = useState<AdminUserRow | null>(null);

  return (
    <>
      <FormAlert>{errorText(updateUser.error)}</FormAlert>
      <DataTable
        caption="Users"
        columns={[
          { label: "Email" },
          { label: "Role" },
          { label: "Status" },
          { label: "Balance", align: "right" },
          { label: "Spend", align: "right" },
          { label: "API keys", align: "right" },
          { label: "Joined" },
          { label: "Actions", hidden: true },
        ]}
      >
        {(users.data ?? []).map((user) => (
          <UserRow
            key={user.id}
            user={user}
            isCurrentUser={user.id === currentUserId}
            pending={updateUser.isPending}
            onRoleChange={(role) => updateUser.mutate({ id: user.id, change: { role } })}
            onAdjust={() => setAdjusting(user)}
            onSuspend={() => setSuspending(user)}
            onRestore={() => updateUser.mutate({ id: user.id, change: { status: "active" } })}
          />
        ))}
      </DataTable>
      <ConfirmDialog
        open={suspending !== null}
        title="Suspend this account?"
        body={<p>{suspending?.email} will be signed out and their API keys will stop working within a second. You can restore the account later.</p>}
        confirmLabel="Suspend"
        danger
        pending={updateUser.isPending}
        onCancel={() => setSuspending(null)}
        onConfirm={() => suspending && updateUser.mutate({ id: suspending.id, change: { status: "suspended" } }, { onSettled: () => setSuspending(null) })}
      />
      {adjusting ? <AdjustBalanceDialog user={adjusting} onClose={() => setAdjusting(null)} /> : null}
    </>
  );
}

function UserRow({
  user,
  isCurrentUser,
  pending,
  onRoleChange,
  onAdjust,
  onSuspend,
  onRestore,
}: {
  user: AdminUserRow;
  isCurrentUser: boolean;
  pending: boolean;
  onRoleChange: (role: AdminUserRow["role"]) => void;
  onAdjust: () => void;
  onSuspend: () => void;
  onRestore: () => void;
}) {
  return (
    <tr data-testid={`user-${user.email}`}>
      <td className="px-3 py-2">
        {user.email}
        {isCurrentUser ? <span className="ml-1 text-xs text-zinc-500">(you)</span> : null}
      </td>
      <td className="px-3 py-2">
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={pending}
          onChange={(event) => onRoleChange(event.target.value as AdminUserRow["role"])}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td className="px-3 py-2">{user.status}</td>
      <td className="px-3 py-2 text-right tabular-nums">${user.balanceUsd}</td>
      <td className="px-3 py-2 text-right tabular-nums">${user.spendUsd}</td>
      <td className="px-3 py-2 text-right tabular-nums">{user.keys}</td>
      <td className="px-3 py-2">{user.createdAt.slice(0, 10)}</td>
      <td className="px-3 py-2 text-right whitespace-nowrap">
        <Button variant="ghost" onClick={onAdjust}>
          Adjust balance
        </Button>
        {user.status === "active" ? (
          <Button variant="ghost" disabled={isCurrentUser} onClick={onSuspend}>
            Suspend
          </Button>
        ) : (
          <Button variant="ghost" onClick={onRestore}>
            Restore
          </Button>
        )}
      </td>
    </tr>
  );
}

function AdjustBalanceDialog({ user, onClose }: { user: AdminUserRow; onClose: () => void }) {
  const adjust = useAdjustBalance();
  const fields = fieldErrorsOf(adjust.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    adjust.mutate({ id: user.id, usd: String(data.get("usd") ?? ""), reason: String(data.get("reason") ?? "") }, { onSuccess: onClose });
  }

  return (
    <Modal open title={`Adjust the balance of ${user.email}`} onRequestClose={onClose}>
      <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Current balance ${user.balanceUsd}. The change is a ledger entry with your reason; a negative amount takes credit away.
        </p>
        <FormField label="Amount (USD)" name="usd" inputMode="decimal" placeholder="10 or -2.50" error={fields.usd} />
        <FormField label="Reason" name="reason" maxLength={200} error={fields.reason} />
        <FormAlert>{adjust.error && !fields.usd && !fields.reason ? adjust.error.message : null}</FormAlert>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={adjust.isPending}>
            Apply
          </Button>
        </div>
      </form>
    </Modal>
  );
}
