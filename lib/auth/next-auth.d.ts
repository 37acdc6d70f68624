import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  /** The session carries the user id only; no user once the session was signed out. */
  interface Session {
    expires: string;
    user?: { id: string };
  }
}

declare module "next-auth/jwt" {
  /** `sid` names the server-side session row (lib/auth/sessions.ts). */
  interface JWT {
    sid?: string;
  }
}
