import type { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import type { PaymentProcessor } from "@/lib/payments/processor";

export interface CommandContext {
  db: Db;
  processor: PaymentProcessor;
  production: boolean;
}

export interface Command<S extends z.ZodObject> {
  usage: string;
  /** A flag that may also be given as the one positional argument (`close-month 2026-11`). */
  positional?: string;
  /** Flags that take no value (`--repair`). */
  switches?: string[];
  flags: S;
  run(ctx: CommandContext, flags: z.infer<S>): Promise<unknown>;
}

/** Declares an operator command: its usage line, its flags' schema, and what it does. */
export const command = <S extends z.ZodObject>(c: Command<S>) => c;
