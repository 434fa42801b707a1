import "server-only";
/** The provider service wired to this server: its database, secret, environment, policy and DNS. */
import { lookup } from "node:dns/promises";
import { getDb } from "../db/client.ts";
import { getCredentialCipher } from "./credential-store.ts";
import type { ProviderAdminDeps } from "./provider-admin.ts";
import { privateUpstreamsAllowed } from "./url-policy.ts";

export function providerAdminDeps(): ProviderAdminDeps {
  return {
    db: getDb(),
    cipher: getCredentialCipher(),
    env: process.env,
    allowPrivate: privateUpstreamsAllowed(),
    resolve: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  };
}
