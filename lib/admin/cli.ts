import { parseArgs } from "node:util";
import { z } from "zod";
import type { CommandContext } from "./command";
import { AppError } from "@/lib/kernel/errors";
import { commands, usage, type CommandName } from "./commands";

export type CliResult =
  { ok: true; output: unknown } | { ok: false; exitCode: number; error: { code: string; message: string } };

/** Parses argv into a command and validated flags; a usage error changes nothing in the database. */
export function parseCommand(
  argv: string[],
):
  | { ok: true; name: CommandName; flags: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string } } {
  const [name, ...rest] = argv;
  if (!name || !(name in commands)) {
    const message = name ? `Unknown command "${name}".\n${usage()}` : usage();
    return { ok: false, error: { code: "unknown_command", message } };
  }
  // Every flag takes a value, but a command's switches; unknown flags and stray arguments are errors.
  const command = commands[name as CommandName] as {
    usage: string;
    positional?: string;
    switches?: string[];
    flags: z.ZodObject;
  };
  const options = Object.fromEntries(
    Object.keys(command.flags.shape).map((flag) => [
      flag,
      { type: command.switches?.includes(flag) ? ("boolean" as const) : ("string" as const) },
    ]),
  );
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args: rest,
      options,
      strict: true,
      allowPositionals: Boolean(command.positional),
    });
    values = parsed.values;
    if (parsed.positionals.length > 1)
      throw new Error(`Unexpected arguments: ${parsed.positionals.slice(1).join(" ")}`);
    if (command.positional && parsed.positionals[0] !== undefined)
      values[command.positional] = parsed.positionals[0];
  } catch (e) {
    return {
      ok: false,
      error: { code: "invalid_arguments", message: `${(e as Error).message}\nUsage: ${command.usage}` },
    };
  }
  const parsed = command.flags.safeParse(values);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: "invalid_arguments",
        message: `${z.prettifyError(parsed.error)}\nUsage: ${command.usage}`,
      },
    };
  }
  return { ok: true, name: name as CommandName, flags: parsed.data as Record<string, unknown> };
}

export async function runCommand(
  ctx: CommandContext,
  name: CommandName,
  flags: Record<string, unknown>,
): Promise<CliResult> {
  try {
    const run = commands[name].run as (ctx: CommandContext, f: Record<string, unknown>) => Promise<unknown>;
    return { ok: true, output: await run(ctx, flags) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, exitCode: 1, error: { code: e.code, message: e.message } };
    throw e;
  }
}
