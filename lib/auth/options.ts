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
import { dummyPasswordHash, verifyPassword } from "./password";
import { clientIp } from "./client-ip";
import { userIdForOAuth } from "./oauth-link";
import { LOGIN_ERRORS } from "./login-errors";

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

let throttle: LoginThrottle | undefined;
// Counted in PostgreSQL through the same pool as everything else.
const loginThrottle = () => (throttle ??= createLoginThrottle(poolOf(getDb())));

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

export const authOptions: NextAuthOptions = {
  // Sessions are signed JWTs that carry the user id and nothing else: roles, plan and
  // membership are read from the database on every request.
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
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
        await loginThrottle().recordSuccess(email);
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
      if (!user) return { sub: token.sub }; // refresh: keep only the id
      if (!account || account.provider === "credentials") return { sub: user.id };
      const userId = await userIdForOAuth(getDb(), {
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        email: (profile?.email ?? user.email)!,
        name: profile?.name ?? user.name ?? undefined,
      });
      return { sub: userId };
    },
    async session({ session, token }) {
      return { expires: session.expires, user: { id: token.sub! } };
    },
  },
};
