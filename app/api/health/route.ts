export { handleHealth as GET } from "@/lib/http/health-handler";
export const dynamic = "force-dynamic";
