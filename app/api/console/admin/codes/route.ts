export { handleListCodes as GET, handleCreateCodes as POST } from "@/lib/billing/http/billing-handlers";
export const dynamic = "force-dynamic";
