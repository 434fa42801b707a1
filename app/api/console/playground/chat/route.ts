export { handlePlaygroundChat as POST } from "@/lib/playground/http/playground-chat-handler";
export const dynamic = "force-dynamic";
