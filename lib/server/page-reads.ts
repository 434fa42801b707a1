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
import { listApiKeys, type KeyScope } from "../keys/api-key-service.ts";
import { listAccountRateLimits } from "../settings/account-rate-limits.ts";
import { describeInvitation, listPendingInvitations } from "../organizations/invitation-service.ts";
import { readBalanceAlert } from "../organizations/balance-alerts.ts";
import { listMembers } from "../organizations/membership-service.ts";
import { listAllOrganizations, listOrganizationsOf } from "../organizations/organization-service.ts";
import { readHealthProbeSettings } from "../settings/health-probe-settings.ts";
import { readOrganizationLimitSettings } from "../settings/organization-limit-settings.ts";
import { readRateLimitSettings } from "../settings/rate-limit-settings.ts";

export const pageReads = {
  accountCount: () => countAccounts(getDb()),
  accountRateLimits: () => listAccountRateLimits(getDb()),
  accountSettings: (userId: string) => readAccountSettings(getDb(), userId),
  adminModels: () => listAdminModels(getDb()),
  adminUsers: () => listAdminUsers(getDb()),
  apiKeyCount: (userId: string) => countApiKeys(getDb(), userId),
  apiKeys: (scope: KeyScope) => listApiKeys(getDb(), scope),
  auditEvents: () => listAuditEvents(getDb()),
  organizationAudit: (organizationId: string) => listAuditEvents(getDb(), { targetId: organizationId, limit: 50 }),
  auditTargetTypes: () => listAuditTargetTypes(getDb()),
  balance: (userId: string) => readBalance(getDb(), userId),
  balanceAlert: (organizationId: string) => readBalanceAlert(getDb(), organizationId),
  hasAnyUsage: (userId: string) => hasAnyUsage(getDb(), userId),
  invitation: (token: string) => describeInvitation(getDb(), token),
  members: (organizationId: string) => listMembers(getDb(), organizationId),
  organizations: () => listAllOrganizations(getDb()),
  organizationsOf: (userId: string) => listOrganizationsOf(getDb(), userId),
  pendingInvitations: (organizationId: string) => listPendingInvitations(getDb(), organizationId),
  healthProbeSettings: () => readHealthProbeSettings(getDb()),
  organizationLimitSettings: () => readOrganizationLimitSettings(getDb()),
  providerSlugs: () => listProviderSlugs(getDb()),
  rateLimitSettings: () => readRateLimitSettings(getDb()),
  transactions: (userId: string) => listTransactions(getDb(), userId),
};
