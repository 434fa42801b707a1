import type { Metadata } from "next";
import { ProvidersManager } from "@/components/admin/providers/providers-manager";
import { requirePageAdmin } from "@/lib/auth/session";
import { listAdminProviders } from "@/lib/provider-config/provider-admin";
import { providerAdminDeps } from "@/lib/provider-config/provider-admin-deps";
import { privateUpstreamsAllowed } from "@/lib/provider-config/url-policy";

export const metadata: Metadata = { title: "Providers · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminProvidersPage() {
  await requirePageAdmin();
  const providers = await listAdminProviders(providerAdminDeps());
  return <ProvidersManager initialProviders={providers} privateAllowed={privateUpstreamsAllowed()} />;
}
