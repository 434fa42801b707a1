/**
 * Writes the catalog file back when CATALOG_FILE is set and the console edits it: a
 * temporary file in the same folder, then a rename, so a reader (or a crash) never sees
 * half a file. The text is what `catalog:check` reads.
 */
import { randomUUID } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ValidationError } from "../../errors/validation-error.ts";
import type { CatalogDocument } from "./catalog-edit.ts";

export function serializeCatalog(catalog: CatalogDocument): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

export function writeCatalogFile(filePath: string, catalog: CatalogDocument): void {
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomUUID()}.tmp`);
  try {
    writeFileSync(temporary, serializeCatalog(catalog), { mode: 0o644 });
    renameSync(temporary, filePath);
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ValidationError({ "": `Cannot write the catalog file ${filePath} (${code}); nothing was saved` });
  }
}
