import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { poolOf } from "@/lib/db/prisma";
import { readEnv } from "@/lib/config/env";
import { createLoginThrottle, type LoginThrottle } from "./login-throttle";
import { dummyPasswordHash, verifyPassword } from "@/lib/accounts/password";
import { clientIp } from "./client-ip";
import { userIdForOAuth } from "./oauth-link";
import { LOGIN_ERRORS } from "./login-errors";
import { endSession, isLiveSession, startSession } from "./sessions";

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

let throttle: LoginThrottle | undefined;
// Counted in PostgreSQL through the same pool as everything else; keys are HMACs under the auth secret.
const loginThrottle = () =>
  (throttle ??= createLoginThrottle(poolOf(getDb()), { keySecret: readEnv().NEXTAUTH_SECRET }));

function oauthProviders() {
  const env = readEnv();
  const providers = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET)
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET)
    providers.push(
      GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }),
    );
  return providers;
}

/** Names of the OAuth providers switched on by environment variables, for the login page. */
export function enabledOAuthProviders(): { id: string; name: string }[] {
  return oauthProviders().map((p) => ({ id: p.id, name: p.name }));
}

const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export const authOptions: NextAuthOptions = {
  // Sessions are signed JWTs that carry the user id and a server-side session id, nothing else:
  // roles, plan and membership are read from the database on every request, and so is the
  // session row, which sign-out deletes (a signed cookie alone would outlive sign-out).
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) throw new Error(LOGIN_ERRORS.missing);
        const email = parsed.data.email.toLowerCase();
        const ip = clientIp(req.headers ?? {});
        const verdict = await loginThrottle().check(email, ip);
        if (!verdict.allowed) throw new Error(`${LOGIN_ERRORS.throttledPrefix}${verdict.retryAfterSeconds}`);

        const user = await getDb().user.findUnique({
          where: { email },
          select: { id: true, passwordHash: true },
        });
        // Same work whether or not the account exists, so timing reveals nothing.
        const ok = await verifyPassword(
          user?.passwordHash ?? (await dummyPasswordHash()),
          parsed.data.password,
        );
        if (!user || !user.passwordHash || !ok) {
          await loginThrottle().recordFailure(email, ip);
          throw new Error(LOGIN_ERRORS.invalid);
        }
        await loginThrottle().recordSuccess(email, ip);
        return { id: user.id };
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    async signIn({ account, profile, user }) {
      if (!account || account.provider === "credentials") return true;
      return Boolean(profile?.email ?? user.email); // OAuth accounts are linked by email
    },
    async jwt({ token, user, account, profile }) {
      if (!user) {
        // Every read: a session that was signed out (or never existed here) is emptied.
        if (!(await isLiveSession(getDb(), token.sid, token.sub))) return {};
        return { sub: token.sub, sid: token.sid };
      }
      // Sign-in: a new session row, so a cookie planted or copied before this one means nothing.
      const userId =
        !account || account.provider === "credentials"
          ? user.id
          : await userIdForOAuth(getDb(), {
              provider: account.provider,
              providerAccountId: account.providerAccountId,
              email: (profile?.email ?? user.email)!,
              name: profile?.name ?? user.name ?? undefined,
            });
      return { sub: userId, sid: await startSession(getDb(), userId, SESSION_MAX_AGE_SECONDS) };
    },
    async session({ session, token }) {
      return token.sub ? { expires: session.expires, user: { id: token.sub } } : { expires: session.expires };
    },
  },
  events: {
    async signOut({ token }) {
      await endSession(getDb(), token?.sid);
    },
  },
};
