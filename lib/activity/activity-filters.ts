/**
 * The filters shared by the activity list, its CSV export and the usage charts, parsed
 * from URL search params (the console keeps them in the page's URL) into one plain
 * object. Who may see what is decided here too: members only their own account, admins
 * every account or one of them (`account`).
 */
import { z } from "zod";
import type { AccountUser } from "../auth/user-service.ts";
import { ValidationError } from "../errors/validation-error.ts";

/** Relative ranges the pickers offer; `custom` uses from/to. */
export const RANGE_PRESETS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, "90d": 90 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

export type ActivityFilters = {
  /** null = every account (admins only) */
  userId: string | null;
  from: Date | null;
  to: Date | null;
  apiKeyId: string | null;
  model: string | null;
  provider: string | null;
  status: "success" | "error" | "aborted" | null;
  finishReason: string | null;
  /** the client's protocol (records' `api`) */
  api: string | null;
  /**
   * only calls made with these keys (an organization member's own keys, or the member an admin
   * filtered by); null = any key of the account
   */
  apiKeyIds?: string[] | null;
};

/**
 * The key filter as a where clause on `apiKeyId`: one key, a set of keys, or both (one key
 * outside the set matches nothing).
 */
export function keyCondition(apiKeyId: string | null | undefined, apiKeyIds: string[] | null | undefined): { apiKeyId?: string | { in: string[] } } {
  if (apiKeyIds) return { apiKeyId: apiKeyId ? { in: apiKeyIds.includes(apiKeyId) ? [apiKeyId] : [] } : { in: apiKeyIds } };
  return apiKeyId ? { apiKeyId } : {};
}

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : null));

const isoDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const date = new Date(v);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: `Not a date: ${v}` });
      return z.NEVER;
    }
    return date;
  });

const paramsSchema = z.object({
  range: z
    .enum([...(Object.keys(RANGE_PRESETS) as RangePreset[]), "custom", "all"], { error: "range must be one of 1h, 24h, 7d, 30d, 90d, custom, all" })
    .optional(),
  from: isoDate,
  to: isoDate,
  key: optionalText,
  model: optionalText,
  provider: optionalText,
  status: z.enum(["success", "error", "aborted"], { error: "status must be success, error or aborted" }).optional(),
  finish: optionalText,
  api: optionalText,
  account: optionalText,
  member: optionalText,
});

/**
 * Reads the filters; `defaultRange` applies when the URL names none. A member's
 * `account` is ignored rather than refused: it can only ever narrow to themselves.
 */
export function parseActivityFilters(
  params: URLSearchParams,
  viewer: Pick<AccountUser, "id" | "role">,
  options: { defaultRange?: RangePreset | "all"; now?: Date } = {},
): ActivityFilters {
  const raw = Object.fromEntries([...params.entries()].filter(([, v]) => v !== ""));
  const parsed = paramsSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const p = parsed.data;
  const now = options.now ?? new Date();
  const range = p.range ?? (p.from || p.to ? "custom" : (options.defaultRange ?? "all"));
  let from: Date | null = null;
  let to: Date | null = null;
  if (range === "custom") {
    from = p.from;
    to = p.to;
    if (from && to && from > to) throw new ValidationError({ from: "The start of the range is after its end" });
  } else if (range !== "all") {
    from = new Date(now.getTime() - RANGE_PRESETS[range]);
  }
  const userId = viewer.role === "admin" ? p.account : viewer.id;
  return { userId, from, to, apiKeyId: p.key, model: p.model, provider: p.provider, status: p.status ?? null, finishReason: p.finish, api: p.api };
}
