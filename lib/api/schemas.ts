import { z } from "zod";

/** Request bodies and params shared by route handlers and the forms that call them. */
export const createTokenBody = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name.")
    .max(100, "Token names have at most 100 characters."),
});

export const tokenIdParams = z.object({ id: z.uuid({ message: "Not a token id." }) });
