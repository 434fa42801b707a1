export { handleGetSettings as GET, handleUpdateSettings as PATCH } from "@/lib/auth/http/settings-handlers";
export const dynamic = "force-dynamic";
