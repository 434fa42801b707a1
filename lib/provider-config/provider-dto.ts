/**
 * A provider as the admin console sees it. The credential never leaves the server: the
 * browser gets where it comes from and a masked hint ("sk-…abcd").
 */
import type { AdapterKind } from "../gateway/providers/adapter-kind.ts";
import type { ProviderSource } from "../gateway/catalog-view/catalog-types.ts";

export type CredentialSummary = {
  /** what the gateway uses: the environment variable wins over the stored credential */
  effective: "environment" | "stored" | "none";
  /** the variable the catalog names, if any */
  envVar: string | null;
  envSet: boolean;
  stored: boolean;
  /** "sk-…abcd"; "…" for short credentials; null when none is stored */
  storedHint: string | null;
  /** why the stored credential cannot be used (written under another secret) */
  storedProblem: string | null;
};

export type AdminProviderDto = {
  id: string;
  slug: string;
  name: string;
  adapter: AdapterKind;
  baseUrl: string;
  enabled: boolean;
  source: ProviderSource;
  endpoints: number;
  enabledEndpoints: number;
  credential: CredentialSummary;
  updatedAt: string;
};

export type CredentialTestResult = {
  ok: boolean;
  /** the upstream's HTTP status, null when it could not be reached */
  status: number | null;
  /** the upstream's message (redacted) or why it could not be reached; null on success */
  message: string | null;
  durationMs: number;
  model: string;
  credentialSource: "environment" | "stored";
};
