// A Gemini model path (lib/gateway/protocols/google-gemini/gemini-path.ts): GET reads the model, POST calls its :method.
export { handleRetrieveGeminiModel as GET } from "@/lib/catalog/http/model-list-handlers";
export { handleGeminiModelPost as POST } from "@/lib/server/gateway";
export { handleApiEdge as PUT, handleApiEdge as PATCH, handleApiEdge as DELETE, handleApiEdge as OPTIONS } from "@/lib/server/api-edges";
export const dynamic = "force-dynamic";
