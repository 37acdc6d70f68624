import type http from "node:http";
import type { AddressInfo } from "node:net";
import * as chat from "@/app/v1/chat/completions/route";
import { serveRoutes } from "./serve-routes";

/**
 * The app's router over real HTTP on 127.0.0.1, sending "test-routed" to `provider`, a fake
 * provider of the test's own that this starts on 127.0.0.1 too. ROUTER_UPSTREAMS is read at the
 * router's first request, so set any other router variable before that. `close` stops both.
 */
export async function routerAgainst(provider: http.Server, apiKey = "platform-key") {
  await new Promise<void>((r) => provider.listen(0, "127.0.0.1", r));
  const { port } = provider.address() as AddressInfo;
  process.env.ROUTER_UPSTREAMS = JSON.stringify({
    "test-routed": { apiKey, baseUrl: `http://127.0.0.1:${port}/v1` },
  });
  const app = await serveRoutes({ "/v1/chat/completions": chat });
  return {
    url: app.url,
    close: async () => {
      await app.close();
      await new Promise((r) => provider.close(r));
    },
  };
}
