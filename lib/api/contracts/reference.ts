import { z } from "zod";
import { defineContract } from "@/lib/http/contract";

export const getOpenApi = defineContract({
  method: "GET",
  path: "/api/openapi.json",
  tag: "Reference",
  summary: "This API's OpenAPI 3.1 document",
  description: "Generated from the zod schemas the routes validate with. Rendered at /docs/api.",
  auth: "public",
  response: {
    status: 200,
    schema: z.looseObject({
      openapi: z.string().startsWith("3.1"),
      info: z.looseObject({}),
      paths: z.looseObject({}),
    }),
    description: "The document.",
  },
  errors: [],
});
