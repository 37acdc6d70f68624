import { getDb } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { listProviderKeys } from "@/lib/keys/provider-keys";

/** The caller's custom provider keys, masked (last 4 characters). */
export const GET = route({ auth: "user" }, async ({ principal }) => ({
  keys: await listProviderKeys(getDb(), principal.userId),
}));
