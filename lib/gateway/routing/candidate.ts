import type { EndpointView, ModelView } from "../catalog-view/catalog-types.ts";

/** One way to serve a request: a model and one of its endpoints, in routing order. */
export type Candidate = { model: ModelView; endpoint: EndpointView };
