export { handleGetGeneration as GET } from "@/lib/activity/http/generation-handler";
export const dynamic = "force-dynamic";
