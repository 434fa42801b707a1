import type { Metadata } from "next";
import { headers } from "next/headers";
import { KeysManager } from "@/components/keys/keys-manager";
import { requirePageAccount } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/public-base-url";
import { toApiKeyDto } from "@/lib/keys/api-key-dto";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "API Keys" };

export default async function KeysPage() {
  const { user, account } = await requirePageAccount();
  const scope = { accountId: account.id, membershipId: account.role === "admin" ? null : account.membershipId };
  const [keys, origin] = await Promise.all([pageReads.apiKeys(scope), headers().then(publicOrigin)]);
  return (
    <KeysManager
      initialKeys={keys.map((k) => toApiKeyDto(k, user.email))}
      origin={origin}
      organization={account.kind === "organization" ? { name: account.name, admin: account.role === "admin" } : null}
    />
  );
}
