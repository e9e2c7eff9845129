import { handlers } from "@/lib/auth/config";

/** next-auth's endpoints: /api/auth/csrf, /api/auth/callback/<provider>, /api/auth/signout, /api/auth/session, … */
export const { GET, POST } = handlers;
