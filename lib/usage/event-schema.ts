import { z } from "zod";
import { orgNameSchema } from "@/lib/accounts/schemas";

// The fields of a request reported by an external router, shared by ingestion and holds.

const int32 = z.number().int().min(0).max(2_147_483_647);
/** Catalog ids: no control characters (a NUL byte cannot even reach PostgreSQL's text). */
const catalogId = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\x00-\x1f\x7f]+$/, "Catalog ids have no control characters.");

export const eventFields = {
  userId: z.uuid(),
  billTo: orgNameSchema.nullish(),
  provider: catalogId(100),
  model: catalogId(300),
  mode: z.enum(["routed", "custom_key"]),
  inputTokens: int32.default(0),
  outputTokens: int32.default(0),
  computeMs: int32.default(0),
};

/** One request reported by an external router. */
export const usageEventSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "Ids are printable ASCII without spaces."),
  ...eventFields,
  occurredAt: z.iso.datetime({ offset: true }),
});
