import { parseArgs } from "node:util";
import { purgeOldActivity, retentionDays } from "../../lib/activity/retention.ts";
import { CliError, type CliCommand } from "../command.ts";
import { withDb } from "../database.ts";

export const logsPurge: CliCommand = {
  name: "logs:purge",
  summary: "Delete activity rows older than LOG_RETENTION_DAYS (default 90; --days overrides); usage rollups stay",
  usage: "logs:purge [--days N]",
  async run(args) {
    const { values } = parseArgs({ args, strict: true, options: { days: { type: "string" } } });
    const days = values.days === undefined ? retentionDays() : Number(values.days);
    if (!Number.isInteger(days) || days < 1) throw new CliError(`--days must be a whole number of at least 1, got "${values.days}"`);
    const { generations, cutoff } = await withDb((db) => purgeOldActivity(db, days));
    console.log(`purged ${generations} activity row${generations === 1 ? "" : "s"} older than ${cutoff.toISOString()} (${days} days)`);
    return 0;
  },
};
