export { handleUpdateUser as PATCH } from "@/lib/auth/http/admin-user-handlers";
export const dynamic = "force-dynamic";
