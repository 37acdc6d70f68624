import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveFetch } from "@/lib/http/serve-fetch";

type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/**
 * Serves route handlers exported by app/ over real HTTP on 127.0.0.1, as Next would call them:
 * a Request in (aborted when the client disconnects), the Response streamed out. For tests that
 * drive the API with real HTTP clients (the openai SDK, @huggingface/inference).
 */
export async function serveRoutes(routes: Record<string, Partial<Record<"GET" | "POST", Handler>>>) {
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler = routes[pathname]?.[req.method as "GET" | "POST"];
    if (!handler) return void res.writeHead(404).end();
    void serveFetch((request) => handler(request, { params: Promise.resolve({}) }), req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
