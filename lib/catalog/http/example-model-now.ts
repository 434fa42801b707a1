import "server-only";
/** The landing and docs pages' example model on this instance now (example-model.ts), from the live catalog and credentials. */
import { credentialForProvider } from "../../provider-config/credential-store.ts";
import { getCatalogSnapshot } from "../catalog-cache.ts";
import { exampleModel, type ExampleModel } from "../../public-pages/example-model.ts";

export async function exampleModelNow(): Promise<ExampleModel> {
  return exampleModel(await getCatalogSnapshot(), (provider) => credentialForProvider(provider) !== null);
}
