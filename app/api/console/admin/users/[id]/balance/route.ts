export { handleAdjustBalance as POST } from "@/lib/auth/http/admin-user-handlers";
export const dynamic = "force-dynamic";
