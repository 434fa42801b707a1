/**
 * "Test credential": one real, one-token, non-streamed request to the provider through
 * its adapter, with the credential the gateway would use (environment first). A models
 * listing proves nothing, since some providers answer it without a key. The attempt is
 * audited; the answer carries the upstream's status and message with secrets redacted.
 */
import type { Db } from "../db/client.ts";
import { recordAuditEvent, type AuditActor } from "../audit/audit-log.ts";
import type { AdapterKind } from "../gateway/providers/adapter-kind.ts";
import type { EndpointView, ProviderView } from "../gateway/catalog-view/catalog-types.ts";
import { readCredentialEnv } from "../catalog/credential-env-name.ts";
import { modelKindOf } from "../gateway/catalog-view/model-kind.ts";
import { sendOneTokenRequest } from "../gateway/health/one-token-request.ts";
import type { UpstreamTransport } from "../gateway/transport/transport.ts";
import { parseInput, ValidationError } from "../errors/validation-error.ts";
import type { CredentialCipher } from "./credential-cipher.ts";
import { readStoredCredential } from "./provider-admin.ts";
import { NotFoundError } from "../errors/not-found-error.ts";
import type { CredentialTestResult } from "./provider-dto.ts";
import { testCredentialSchema } from "./provider-input.ts";

export type CredentialTestDeps = {
  db: Db;
  cipher: CredentialCipher | null;
  env: Readonly<Record<string, string | undefined>>;
  transport: UpstreamTransport;
  timeoutMs?: number;
};

export async function testProviderCredential(deps: CredentialTestDeps, actor: AuditActor, id: string, input: unknown): Promise<CredentialTestResult> {
  const { model: requestedModel } = parseInput(testCredentialSchema, input ?? {});
  const row = await deps.db.provider.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("No such provider");
  const fromEnv = readCredentialEnv(deps.env, row.apiKeyEnv);
  const stored = readStoredCredential(row, deps.cipher);
  const credential = fromEnv ?? stored.value;
  if (!credential)
    throw new ValidationError({
      credential: stored.problem ? `The stored credential cannot be used: ${stored.problem}` : "This provider has no credential: store one first",
    });
  const endpoint = await deps.db.endpoint.findFirst({
    where: { providerId: id, enabled: true },
    orderBy: [{ sortOrder: "asc" }, { name: "asc" }],
    include: { model: { select: { outputModalities: true } } },
  });
  const model = requestedModel || endpoint?.upstreamModel;
  if (!model) throw new ValidationError({ model: "This provider has no endpoints yet: enter an upstream model id to test with" });

  const provider: ProviderView = {
    id: row.id,
    slug: row.slug,
    name: row.name,
    adapter: row.adapter as AdapterKind,
    baseUrl: row.baseUrl,
    apiKeyEnv: row.apiKeyEnv,
    enabled: row.enabled,
    source: row.source === "admin" ? "admin" : "catalog",
  };
  const view: EndpointView = {
    id: endpoint?.id ?? `credential-test:${row.id}`,
    slug: `${row.slug}/${endpoint?.name ?? "credential-test"}`,
    name: endpoint?.name ?? "credential-test",
    provider,
    upstreamModel: model,
    pricings: {},
    contextLength: 0,
    maxOutput: null,
    supportedParameters: [],
    enabled: true,
  };
  // The endpoint's own kind of call (an embedding model answers embeddings only); a model the admin typed is tested as chat.
  const kind = !requestedModel && endpoint ? modelKindOf({ outputModalities: JSON.parse(endpoint.model.outputModalities) as string[] }) : "chat";
  const outcome = await sendOneTokenRequest(view, credential, deps.transport, { timeoutMs: deps.timeoutMs ?? 20_000, kind });
  const result: CredentialTestResult = {
    ok: outcome.ok,
    status: outcome.status,
    message: outcome.ok ? null : outcome.message,
    durationMs: outcome.durationMs,
    model,
    credentialSource: fromEnv ? "environment" : "stored",
  };
  // "credentialSource" would be masked as a secret-named field; it is not a secret.
  const { credentialSource, ...audited } = result;
  await recordAuditEvent(deps.db, {
    actor,
    action: "provider.credential.test",
    targetType: "provider",
    targetId: row.id,
    targetLabel: row.slug,
    after: { ...audited, usedFrom: credentialSource },
  });
  return result;
}
