import { releaseHold } from "@/lib/api/contracts/usage-holds";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { releaseHold as release } from "@/lib/usage/holds";

/** Releases a hold its service placed and no event settled. */
export const DELETE = route(releaseHold, ({ principal, params }) =>
  release(getDb(), principal.serviceTokenId, params.id),
);
