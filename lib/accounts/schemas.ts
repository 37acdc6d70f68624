import { z } from "zod";
import { ORG_ROLES } from "./roles";

export const emailSchema = z
  .email({ message: "Enter a valid email address." })
  .max(254)
  .transform((e) => e.toLowerCase());

export const passwordSchema = z
  .string()
  .min(10, { message: "Passwords have at least 10 characters." })
  .max(200, { message: "Passwords have at most 200 characters." });

export const orgNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/, {
  message: "Organization names are 1-96 letters, digits, '.', '_' or '-', starting with a letter or digit.",
});

export const userPlanSchema = z.enum(["free", "pro"]);
export const orgPlanSchema = z.enum(["free", "team", "enterprise"]);
export const orgRoleSchema = z.enum(ORG_ROLES);
