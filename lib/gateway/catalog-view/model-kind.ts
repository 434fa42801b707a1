/**
 * What a model does, read from its output modalities: a chat model writes text (or
 * images…), an embedding model answers vectors and nothing else. The generation paths
 * serve chat models and `POST /api/v1/embeddings` serves embedding models; each refuses
 * the other kind before anything is held or sent. Pure: the catalog file, the snapshot
 * and the gateway all use it.
 */
export type ModelKind = "chat" | "embedding";

/** The output modality that marks an embedding model (alone: an embedding model outputs nothing else). */
export const EMBEDDING_MODALITY = "embedding";

export function modelKindOf(model: { outputModalities?: readonly string[] }): ModelKind {
  return model.outputModalities?.includes(EMBEDDING_MODALITY) ? "embedding" : "chat";
}
