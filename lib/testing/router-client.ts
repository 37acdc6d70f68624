import OpenAI from "openai";
import type { Db } from "@/lib/db/prisma";
import { createApiToken } from "@/lib/auth/tokens";

/** A fresh access token of the user's, with every permission. */
export const userToken = async (db: Db, userId: string) =>
  (await createApiToken(db, { userId, name: "test" })).token;

/** The OpenAI client against the router served at `baseUrl`, as `token`, billing `billTo` if given. */
export const routerClient = (baseUrl: string, token: string, billTo?: string) =>
  new OpenAI({
    apiKey: token,
    baseURL: `${baseUrl}/v1`,
    defaultHeaders: billTo ? { "X-HF-Bill-To": billTo } : {},
    maxRetries: 0,
  });

/** The router's refusal of a call: its status and error body. Throws if the call was answered. */
export async function routerRefusal(call: Promise<unknown>) {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof OpenAI.APIError)) throw new Error("expected the request to be refused");
  return { status: e.status, body: e.error as Record<string, unknown> };
}
