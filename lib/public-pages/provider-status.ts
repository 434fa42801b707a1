/**
 * A provider's (or endpoint's) state as the pages say it: "disabled" by an admin, "not
 * configured" when the gateway has no credential for it (nothing can be routed there, so
 * it is never "enabled" or "healthy"), else "enabled". Pure: whether a credential exists
 * is asked of the caller (lib/provider-config/credential-store.ts on the server).
 */
import type { EndpointView, ProviderView } from "../gateway/catalog-view/catalog-types.ts";

export type ProviderStatus = "enabled" | "disabled" | "not_configured";

/** Whether the gateway holds a usable credential for a provider. */
export type IsConfigured = (provider: ProviderView) => boolean;

export const ALWAYS_CONFIGURED: IsConfigured = () => true;

/** Whether a call could be routed to the endpoint now: it and its provider are enabled and the gateway has a credential. */
export function isRoutable(endpoint: EndpointView, isConfigured: IsConfigured): boolean {
  return endpoint.enabled && endpoint.provider.enabled && isConfigured(endpoint.provider);
}

export function providerStatus(provider: ProviderView, isConfigured: IsConfigured, endpointEnabled = true): ProviderStatus {
  if (!provider.enabled || !endpointEnabled) return "disabled";
  return isConfigured(provider) ? "enabled" : "not_configured";
}

export const PROVIDER_STATUS_LABELS: Record<ProviderStatus, string> = { enabled: "enabled", disabled: "disabled", not_configured: "not configured" };

/** Enabled first, then not configured, then disabled. */
export function statusRank(status: ProviderStatus): number {
  return status === "enabled" ? 0 : status === "not_configured" ? 1 : 2;
}
