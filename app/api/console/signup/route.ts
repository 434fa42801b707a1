export { handleSignUp as POST } from "@/lib/auth/http/sign-up-handler";
export const dynamic = "force-dynamic";
