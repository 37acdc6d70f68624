import { putSwitch } from "@/lib/api/contracts/settings";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { setProviderSwitch } from "@/lib/keys/provider-switches";

/** Switches a provider on or off for the caller's own requests: {"enabled": false}. Audited. */
export const PUT = route(putSwitch, async ({ principal, params, body }) =>
  setProviderSwitch(getDb(), {
    userId: principal.userId,
    providerId: params.provider,
    enabled: body.enabled,
  }),
);
