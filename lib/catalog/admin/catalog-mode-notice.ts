import type { CatalogEditMode } from "./catalog-admin-service.ts";

/** What the models pages say about where edits go (docs/architecture.md §Admin console: models). */
export function describeCatalogMode(mode: CatalogEditMode): string {
  return mode.kind === "file"
    ? `CATALOG_FILE is set, so ${mode.path} is the source of truth: every save here is written back to that file (and applied at once). Edit the file by hand only while no one edits here, then restart.`
    : "The built-in catalog is in use. Models you add or edit here are kept in the database; editing a built-in model takes it over, so later releases no longer change it.";
}
