import "server-only";
/**
 * What the console's pages read, bound to this process's database. Pages import these and
 * never lib/db (an ESLint rule keeps it so): the services keep taking the database as a
 * parameter, so their tests and the CLI pass their own.
 */
import { hasAnyUsage } from "../activity/usage-query.ts";
import { listAuditEvents, listAuditTargetTypes } from "../audit/audit-log.ts";
import { readAccountSettings } from "../auth/account-settings.ts";
import { countAccounts, listAdminUsers } from "../auth/user-admin.ts";
import { readBalance } from "../billing/balance.ts";
import { listTransactions } from "../billing/transactions.ts";
import { listAdminModels, listProviderSlugs } from "../catalog/admin/catalog-admin-service.ts";
import { getDb } from "../db/client.ts";
import { countApiKeys } from "../keys/api-key-counts.ts";
import { listApiKeys } from "../keys/api-key-service.ts";
import { listAccountRateLimits } from "../settings/account-rate-limits.ts";
import { readHealthProbeSettings } from "../settings/health-probe-settings.ts";
import { readRateLimitSettings } from "../settings/rate-limit-settings.ts";

export const pageReads = {
  accountCount: () => countAccounts(getDb()),
  accountRateLimits: () => listAccountRateLimits(getDb()),
  accountSettings: (userId: string) => readAccountSettings(getDb(), userId),
  adminModels: () => listAdminModels(getDb()),
  adminUsers: () => listAdminUsers(getDb()),
  apiKeyCount: (userId: string) => countApiKeys(getDb(), userId),
  apiKeys: (userId: string) => listApiKeys(getDb(), userId),
  auditEvents: () => listAuditEvents(getDb()),
  auditTargetTypes: () => listAuditTargetTypes(getDb()),
  balance: (userId: string) => readBalance(getDb(), userId),
  hasAnyUsage: (userId: string) => hasAnyUsage(getDb(), userId),
  healthProbeSettings: () => readHealthProbeSettings(getDb()),
  providerSlugs: () => listProviderSlugs(getDb()),
  rateLimitSettings: () => readRateLimitSettings(getDb()),
  transactions: (userId: string) => listTransactions(getDb(), userId),
};
