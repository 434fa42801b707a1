/** Where this server lets a balance-alert webhook point: the provider URL policy, with its DNS. */
import { lookup } from "node:dns/promises";
import { privateUpstreamsAllowed } from "../provider-config/url-policy.ts";
import type { WebhookPolicy } from "./balance-alerts.ts";

export function webhookPolicy(env: Readonly<Record<string, string | undefined>> = process.env): WebhookPolicy {
  return {
    allowPrivate: privateUpstreamsAllowed(env),
    resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  };
}
