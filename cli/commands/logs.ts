import { parseArgs } from "node:util";
import { purgeOldActivity, retentionPolicy } from "../../lib/activity/retention.ts";
import { purgeExpiredResponses } from "../../lib/responses/response-store.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";

export const logsPurge: CliCommand = {
  name: "logs:purge",
  summary:
    "Delete activity rows older than LOG_RETENTION_DAYS (default 90; --days overrides) and stored bodies older than CONTENT_RETENTION_DAYS (default 7), and stored Responses answers past their expiry (RESPONSE_RETENTION_DAYS); usage rollups stay",
  usage: "logs:purge [--days N] [--content-days N]",
  async run(args) {
    const { values } = parseArgs({ args, strict: true, options: { days: { type: "string" }, "content-days": { type: "string" } } });
    const policy = retentionPolicy();
    const days = values.days === undefined ? policy.days : wholeDays("--days", values.days);
    const contentDays = values["content-days"] === undefined ? Math.min(days, policy.contentDays) : wholeDays("--content-days", values["content-days"]);
    const { generations, contents, cutoff, responses } = await withDb(async (db) => ({
      ...(await purgeOldActivity(db, { days, contentDays })),
      responses: await purgeExpiredResponses(db),
    }));
    console.log(`purged ${generations} activity row${generations === 1 ? "" : "s"} older than ${cutoff.toISOString()} (${days} days)`);
    console.log(`purged ${contents} stored request/response bod${contents === 1 ? "y" : "ies"} (${Math.min(days, contentDays)} days)`);
    console.log(`purged ${responses} stored response${responses === 1 ? "" : "s"} past their expiry`);
    return 0;
  },
};

function wholeDays(flag: string, value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new CliError(`${flag} must be a whole number of at least 1, got "${value}"`);
  return days;
}
