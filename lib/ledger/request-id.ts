import { z } from "zod";

/** A request's id, as the ledger counts it once forever: printable ASCII, so it reaches SQL intact. */
export const requestIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "Ids are printable ASCII without spaces.");
