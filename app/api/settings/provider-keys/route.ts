import { listKeys } from "@/lib/api/contracts/settings";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { listProviderKeys } from "@/lib/keys/provider-keys";

/** The caller's custom provider keys, masked (last 4 characters). */
export const GET = route(listKeys, async ({ principal }) => ({
  keys: await listProviderKeys(getDb(), principal.userId),
}));
