import type { z } from "zod";
import { AppError } from "@/lib/kernel/errors";

/** The request body as JSON; invalid JSON is a 400. */
export async function readJson(req: { text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

/** Validates a request part with its zod schema; every issue goes into one 400. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: [where, ...i.path].join("."), message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new AppError(400, "invalid_request", `The request ${where} is invalid. ${summary}`, { issues });
}
