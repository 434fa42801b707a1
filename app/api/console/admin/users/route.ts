export { handleListUsers as GET } from "@/lib/auth/http/admin-user-handlers";
export const dynamic = "force-dynamic";
