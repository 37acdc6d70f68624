import { placeHold } from "@/lib/api/contracts/usage-holds";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/api/route";
import { placeHold as hold } from "@/lib/usage/holds";

/** An external router holds a request's upper bound before calling a provider. */
export const POST = route(placeHold, ({ principal, body }) => hold(getDb(), principal.serviceTokenId, body));
