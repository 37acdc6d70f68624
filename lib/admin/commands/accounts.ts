import { z } from "zod";
import { command } from "../command";
import { createUser } from "@/lib/accounts/users";
import { addMember, createOrg } from "@/lib/accounts/orgs";
import { createApiToken, createServiceToken } from "@/lib/auth/tokens";
import { notFound } from "@/lib/kernel/errors";
import {
  emailSchema,
  orgNameSchema,
  orgPlanSchema,
  orgRoleSchema,
  passwordSchema,
  userPlanSchema,
} from "@/lib/accounts/schemas";

/** Accounts, orgs, members and tokens. */
export const accountCommands = {
  "create-user": command({
    usage: "create-user --email E --password P --plan free|pro [--name N]",
    flags: z.strictObject({
      email: emailSchema,
      password: passwordSchema,
      plan: userPlanSchema,
      name: z.string().min(1).max(100).optional(),
    }),
    async run({ db }, f) {
      const user = await createUser(db, f);
      return { user: { id: user.id, email: user.email, name: user.name, plan: user.billingAccount!.plan } };
    },
  }),
  "create-org": command({
    usage: "create-org --name N --plan free|team|enterprise --seats K [--display-name D]",
    flags: z.strictObject({
      name: orgNameSchema,
      plan: orgPlanSchema,
      seats: z.coerce.number().int().min(1).max(100_000),
      "display-name": z.string().min(1).max(100).optional(),
    }),
    async run({ db }, f) {
      const org = await createOrg(db, {
        name: f.name,
        plan: f.plan,
        seats: f.seats,
        displayName: f["display-name"],
      });
      const account = org.billingAccount!;
      return {
        org: {
          id: org.id,
          name: org.name,
          displayName: org.displayName,
          plan: account.plan,
          seats: account.seats,
        },
      };
    },
  }),
  "add-member": command({
    usage: "add-member --org N --email E --role admin|write|contributor|read",
    flags: z.strictObject({ org: orgNameSchema, email: emailSchema, role: orgRoleSchema }),
    async run({ db }, f) {
      const { org, user, membership } = await addMember(db, { orgName: f.org, email: f.email, role: f.role });
      return { membership: { org: org.name, email: user.email, role: membership.role } };
    },
  }),
  "create-token": command({
    usage: "create-token --email E [--name T]",
    flags: z.strictObject({ email: emailSchema, name: z.string().min(1).max(100).default("cli") }),
    async run({ db }, f) {
      const user = await db.user.findUnique({ where: { email: f.email }, select: { id: true } });
      if (!user) throw notFound(`User ${f.email}`);
      const { token, record } = await createApiToken(db, { userId: user.id, name: f.name });
      return { token, id: record.id, name: record.name, email: f.email };
    },
  }),
  "create-service-token": command({
    usage: "create-service-token --name T   (for an external router: POST /api/usage/events)",
    flags: z.strictObject({ name: z.string().min(1).max(100) }),
    async run({ db }, f) {
      const { token, record } = await createServiceToken(db, { name: f.name });
      return { token, id: record.id, name: record.name, kind: "service" };
    },
  }),
} as const;
