/**
 * Calls a route handler exported by app/ directly, as Next would: a real Request in, the real
 * Response out. Bearer tokens authenticate, so no session machinery is needed.
 */
export async function callRoute(
  handler: (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>,
  input: {
    method?: string;
    url?: string;
    token?: string;
    body?: unknown;
    rawBody?: string;
    params?: Record<string, string>;
  },
) {
  const headers = new Headers({ "content-type": "application/json" });
  if (input.token) headers.set("authorization", `Bearer ${input.token}`);
  const req = new Request(input.url ?? "http://localhost/api/test", {
    method: input.method ?? "GET",
    headers,
    body: input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body)),
  });
  const res = await handler(req, { params: Promise.resolve(input.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return {
    status: res.status,
    json: json as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}
