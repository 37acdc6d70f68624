import type { Db } from "@/lib/db/prisma";

/**
 * Our user id for an OAuth identity: the linked user, else the user with the provider's
 * (verified) email, else a new Free user. OAuth users have no password.
 */
export async function userIdForOAuth(
  db: Db,
  input: { provider: string; providerAccountId: string; email: string; name?: string },
): Promise<string> {
  const key = { provider: input.provider, providerAccountId: input.providerAccountId };
  const linked = await db.oAuthIdentity.findUnique({ where: { provider_providerAccountId: key } });
  if (linked) return linked.userId;
  const email = input.email.toLowerCase();
  return db.$transaction(async (tx) => {
    const user =
      (await tx.user.findUnique({ where: { email } })) ??
      (await tx.user.create({
        data: {
          email,
          name: input.name ?? email.split("@")[0]!,
          billingAccount: { create: { kind: "user", plan: "free" } },
        },
      }));
    await tx.oAuthIdentity.create({ data: { ...key, userId: user.id } });
    return user.id;
  });
}
