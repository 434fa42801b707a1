import "server-only";
/**
 * Whose calls a console request about activity or usage may see: in a personal account, the
 * person's own (an instance admin: every account, or the one `account=` names); in an
 * organization, the organization's, narrowed to a member's own keys for members, and to the
 * member `member=` names for its admins.
 */
import { getDb } from "../../db/client.ts";
import type { AccountUser } from "../../auth/user-service.ts";
import { visibleKeyIds, type ActiveAccount } from "../../organizations/active-account.ts";
import { parseActivityFilters, type ActivityFilters, type RangePreset } from "../activity-filters.ts";

/** Who reads, as parseActivityFilters sees it: in an organization nobody may look past its account. */
export function activityViewer(user: AccountUser, account: ActiveAccount): { id: string; role: "admin" | "member" } {
  return account.kind === "personal" ? user : { id: account.id, role: "member" };
}

export async function scopedActivityFilters(
  params: URLSearchParams,
  viewer: { user: AccountUser; account: ActiveAccount },
  options: { defaultRange?: RangePreset | "all"; now?: Date } = {},
): Promise<ActivityFilters> {
  const filters = parseActivityFilters(params, activityViewer(viewer.user, viewer.account), options);
  return { ...filters, apiKeyIds: await visibleKeyIds(getDb(), viewer.account, params.get("member") || null) };
}

/** An organization's members, for its admins' member filter (removed members too: their calls stay). */
export async function memberOptions(account: ActiveAccount): Promise<{ id: string; email: string }[]> {
  if (account.kind !== "organization" || account.role !== "admin") return [];
  const rows = await getDb().membership.findMany({
    where: { organizationId: account.id },
    select: { id: true, user: { select: { email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ id: m.id, email: m.user.email }));
}
