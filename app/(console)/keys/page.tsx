import type { Metadata } from "next";
import { headers } from "next/headers";
import { KeysManager } from "@/components/keys/keys-manager";
import { requirePageUser } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/public-base-url";
import { toApiKeyDto } from "@/lib/keys/api-key-dto";
import { pageReads } from "@/lib/server/page-reads";

export const metadata: Metadata = { title: "API Keys" };

export default async function KeysPage() {
  const user = await requirePageUser();
  const [keys, origin] = await Promise.all([pageReads.apiKeys(user.id), headers().then(publicOrigin)]);
  return <KeysManager initialKeys={keys.map(toApiKeyDto)} origin={origin} />;
}
