import { getOpenApi } from "@/lib/api/contracts/reference";
import { openApiDocument } from "@/lib/api/openapi";
import { withContract } from "@/lib/http/contract";

// The document depends only on the code: rendered once at build time.
export const dynamic = "force-static";

/** The OpenAPI 3.1 document of this API: public and cacheable. */
export const GET = withContract(getOpenApi, async () =>
  Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);
