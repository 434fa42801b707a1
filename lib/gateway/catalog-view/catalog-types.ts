/**
 * The in-memory catalog the gateway and the public lists read: plain data, no ORM types,
 * so lib/gateway can depend on it without touching the database.
 */
import type { AdapterKind } from "../providers/adapter-kind.ts";
import type { Pricings } from "../metering/price-schema.ts";

export type Capabilities = { tools: boolean; vision: boolean; reasoning: boolean; json: boolean };

export type ProviderView = {
  id: string;
  slug: string;
  name: string;
  adapter: AdapterKind;
  baseUrl: string;
  apiKeyEnv: string | null;
  enabled: boolean;
  /**
   * "admin" when the provider was entered in the console: its destination is checked at
   * connection time (lib/provider-config/url-policy.ts). Absent means the catalog file.
   */
  source?: ProviderSource;
};

export type ProviderSource = "catalog" | "admin";

export type EndpointView = {
  id: string;
  /** provider_slug/endpoint_name */
  slug: string;
  name: string;
  provider: ProviderView;
  upstreamModel: string;
  pricings: Pricings;
  contextLength: number;
  maxOutput: number | null;
  supportedParameters: string[];
  enabled: boolean;
};

export type ModelView = {
  id: string;
  /** vendor/name */
  slug: string;
  vendor: string;
  displayName: string;
  description: string;
  inputModalities: string[];
  outputModalities: string[];
  capabilities: Capabilities;
  contextLength: number;
  maxOutput: number | null;
  releasedAt: Date | null;
  /** when the model entered this catalog (fallback for lists' `created`) */
  addedAt: Date;
  enabled: boolean;
  aliases: string[];
  endpoints: EndpointView[];
};

export type CatalogSnapshot = {
  loadedAt: Date;
  models: ModelView[];
  providers: ProviderView[];
  /** provider id → the encrypted credential an admin stored (decrypted only in lib/server) */
  storedCredentials?: ReadonlyMap<string, string>;
};
