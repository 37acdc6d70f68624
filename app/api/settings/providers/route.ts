import { listSwitches } from "@/lib/api/contracts/settings";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { listProviderSwitches } from "@/lib/keys/provider-switches";

/** The caller's own provider switches. */
export const GET = route(listSwitches, async ({ principal }) =>
  listProviderSwitches(getDb(), principal.userId),
);
