import "next-auth";

declare module "next-auth" {
  /** The session carries the user id only. */
  interface Session {
    expires: string;
    user: { id: string };
  }
}
