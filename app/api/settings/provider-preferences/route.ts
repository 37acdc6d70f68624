import { getPreferences, putPreferences } from "@/lib/api/contracts/settings";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { getProviderPreferences, setProviderPreferences } from "@/lib/keys/provider-preferences";

/** The caller's provider order for the router, with the catalog's providers to choose from. */
export const GET = route(getPreferences, async ({ principal }) =>
  getProviderPreferences(getDb(), principal.userId),
);

/** Replaces the order: {"providers": ["groq", "together"]}, most preferred first; [] for the default. */
export const PUT = route(putPreferences, async ({ principal, body }) =>
  setProviderPreferences(getDb(), { userId: principal.userId, providers: body.providers }),
);
