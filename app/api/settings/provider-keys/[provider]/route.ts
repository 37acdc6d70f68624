import { deleteKey, putKey } from "@/lib/api/contracts/settings";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { providerKeyRing } from "@/lib/keys/key-ring";
import { deleteProviderKey, setProviderKey } from "@/lib/keys/provider-keys";

/** Adds or replaces the caller's key for a provider; the answer shows only its last 4 characters. */
export const PUT = route(putKey, async ({ principal, params, body }) => ({
  key: await setProviderKey(getDb(), providerKeyRing(), {
    userId: principal.userId,
    providerId: params.provider,
    key: body.key,
  }),
}));

export const DELETE = route(deleteKey, async ({ principal, params }) => {
  await deleteProviderKey(getDb(), { userId: principal.userId, providerId: params.provider });
});
