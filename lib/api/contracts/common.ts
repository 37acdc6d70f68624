import { z } from "zod";

/** Wire formats shared by the response schemas. */
export const isoDateTime = z.iso.datetime({ offset: true }).meta({ description: "An instant, ISO 8601." });
export const isoDay = z.iso.date().meta({ description: "A UTC day, YYYY-MM-DD." });
export const isoMonth = z
  .string()
  .regex(/^\d{4}-\d{2}$/)
  .meta({ description: "A UTC month, YYYY-MM." });
/** BigInt amounts travel as decimal strings, so nothing is lost. */
export const nanoString = z
  .string()
  .regex(/^-?\d+$/)
  .meta({ description: "Nano-dollars (10⁻⁹ USD) as a decimal integer string." });
export const intString = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: "A count as a decimal integer string (may exceed 2⁵³)." });
export const usdString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: "US dollars as an exact decimal string." });

export const EXAMPLE_IDS = {
  card: "5b8e2f1c-3a4d-4e6f-8a9b-0c1d2e3f4a5b",
  card2: "7c9d3e2f-4b5a-4f6e-9b8c-1d2e3f4a5b6c",
  token: "3f2c8a4e-5b7d-4c1e-9a2b-6d8e0f1a2b3c",
  user: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
};
