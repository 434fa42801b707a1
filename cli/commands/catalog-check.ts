import { parseArgs } from "node:util";
import { loadCatalogFile } from "../../lib/catalog/load-catalog.ts";
import { CliError, type CliCommand } from "../command.ts";

export const catalogCheck: CliCommand = {
  name: "catalog:check",
  summary: "Validate a catalog file without starting anything",
  usage: "catalog:check FILE",
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError("catalog:check takes exactly one FILE");
    const result = loadCatalogFile(positionals[0]);
    if (!result.ok) {
      console.error(`${positionals[0]}: invalid catalog (${result.errors.length} problem${result.errors.length > 1 ? "s" : ""})`);
      for (const line of result.errors) console.error(`  ${line}`);
      return 1;
    }
    const { providers, models } = result.catalog;
    const endpoints = models.reduce((sum, m) => sum + m.endpoints.length, 0);
    console.log(`${positionals[0]}: ok (${providers.length} providers, ${models.length} models, ${endpoints} endpoints)`);
    return 0;
  },
};
