"use client";
/**
 * The active account, always on screen: the person's own or one of their organizations. Each
 * page, key creation and top-up applies to it; switching reloads the page's data for the new one.
 */
import { useRouter } from "next/navigation";
import { useSwitchAccount } from "@/components/organization/use-organization";

export type AccountChoice = { id: string; name: string; kind: "personal" | "organization"; role: "admin" | "member" };

export function accountLabel(account: AccountChoice): string {
  return account.kind === "personal" ? `${account.name} (personal)` : `${account.name} (organization${account.role === "admin" ? ", admin" : ""})`;
}

export function AccountSwitcher({ active, accounts }: { active: AccountChoice; accounts: AccountChoice[] }) {
  const router = useRouter();
  const switchAccount = useSwitchAccount();
  if (accounts.length < 2) return <p className="truncate text-xs text-zinc-500">{accountLabel(active)}</p>;
  return (
    <label className="flex flex-col gap-1 text-xs text-zinc-500">
      Acting as
      <select
        aria-label="Active account"
        value={active.id}
        disabled={switchAccount.isPending}
        onChange={async (event) => {
          await switchAccount.mutateAsync(event.target.value).catch(() => null);
          router.refresh();
        }}
        className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {accountLabel(account)}
          </option>
        ))}
      </select>
    </label>
  );
}
