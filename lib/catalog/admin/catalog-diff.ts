/**
 * What an admin edit or import changes, in catalog terms: the paths of the fields that
 * differ between two versions of a model, and which models a new catalog creates,
 * updates or drops. Shown after a save and recorded in the audit row. Pure.
 */
import type { CatalogModel } from "../catalog-schema.ts";

/** Defaults the sync applies, so `enabled: true` and an absent `enabled` compare equal. */
function normalise(model: CatalogModel): unknown {
  return {
    ...model,
    enabled: model.enabled ?? true,
    aliases: [...(model.aliases ?? [])].sort(),
    inputModalities: model.inputModalities ?? ["text"],
    outputModalities: model.outputModalities ?? ["text"],
    endpoints: model.endpoints.map((e) => ({ ...e, enabled: e.enabled ?? true, supportedParameters: e.supportedParameters ?? [] })),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function collect(before: unknown, after: unknown, path: string, out: string[]) {
  if (Array.isArray(before) && Array.isArray(after)) {
    // Lists of scalars (aliases, modalities) change as a whole; lists of objects item by item.
    if (before.every((v) => !isPlainObject(v)) && after.every((v) => !isPlainObject(v))) {
      if (JSON.stringify(before) !== JSON.stringify(after)) out.push(path);
      return;
    }
    for (let i = 0; i < Math.max(before.length, after.length); i++) collect(before[i], after[i], `${path}[${i}]`, out);
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) collect(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push(path || "(model)");
}

/** Paths like `endpoints[0].pricings.prompt[0].value`; empty when nothing changed. */
export function diffCatalogModels(before: CatalogModel | null, after: CatalogModel): string[] {
  if (!before) return ["(new model)"];
  const out: string[] = [];
  collect(normalise(before), normalise(after), "", out);
  return out;
}

export type CatalogImportPlan = { created: string[]; updated: string[]; unchanged: string[]; missing: string[] };

/** Model ids a new catalog adds, changes, keeps as they are, and leaves out. */
export function planCatalogImport(current: CatalogModel[], incoming: CatalogModel[]): CatalogImportPlan {
  const byId = new Map(current.map((m) => [m.id, m]));
  const incomingIds = new Set(incoming.map((m) => m.id));
  const plan: CatalogImportPlan = { created: [], updated: [], unchanged: [], missing: current.filter((m) => !incomingIds.has(m.id)).map((m) => m.id) };
  for (const model of incoming) {
    const existing = byId.get(model.id);
    if (!existing) plan.created.push(model.id);
    else if (diffCatalogModels(existing, model).length > 0) plan.updated.push(model.id);
    else plan.unchanged.push(model.id);
  }
  return plan;
}
