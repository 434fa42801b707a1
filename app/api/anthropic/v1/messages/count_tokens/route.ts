export { handleCountTokens as POST } from "@/lib/server/gateway";
export const dynamic = "force-dynamic";
