import type { Db } from "@/lib/db/prisma";
import { audit } from "@/lib/audit/log";
import { AppError } from "@/lib/kernel/errors";

/**
 * The order in which the router tries providers for the user (users.provider_preferences):
 * listed providers first, in that order; providers not listed come after, in catalog order.
 */
export async function getProviderPreferences(db: Db, userId: string) {
  const [user, providers] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { providerPreferences: true } }),
    db.provider.findMany({ select: { id: true, displayName: true }, orderBy: { id: "asc" } }),
  ]);
  const known = new Set(providers.map((p) => p.id));
  // A provider removed from the catalog since it was saved is simply skipped.
  return { providers: user.providerPreferences.filter((p) => known.has(p)), catalog: providers };
}

/** Saves the order ([] resets to the default). Every name must be a catalog provider, once. Audited. */
export async function setProviderPreferences(db: Db, input: { userId: string; providers: string[] }) {
  const seen = new Set<string>();
  const duplicates = input.providers.filter((p) => seen.size === seen.add(p).size);
  if (duplicates.length > 0)
    throw new AppError(
      400,
      "invalid_request",
      `Each provider may be listed once; repeated: ${duplicates.join(", ")}.`,
      {
        providers: duplicates,
      },
    );
  const catalog = await db.provider.findMany({
    where: { id: { in: input.providers } },
    select: { id: true },
  });
  const known = new Set(catalog.map((p) => p.id));
  const unknown = input.providers.filter((p) => !known.has(p));
  if (unknown.length > 0)
    throw new AppError(
      400,
      "unknown_provider",
      `Unknown provider: ${unknown.join(", ")}. Use the ids of GET /api/settings/provider-preferences.`,
      {
        providers: unknown,
      },
    );
  await db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({
      where: { id: input.userId },
      select: { providerPreferences: true, billingAccount: { select: { id: true } } },
    });
    await tx.user.update({ where: { id: input.userId }, data: { providerPreferences: input.providers } });
    await audit(tx, {
      accountId: before.billingAccount!.id,
      actorUserId: input.userId,
      action: "provider_preferences.update",
      before: { providers: before.providerPreferences },
      after: { providers: input.providers },
    });
  });
  return getProviderPreferences(db, input.userId);
}
