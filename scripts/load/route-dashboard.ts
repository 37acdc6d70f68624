// GET /api/billing/usage for the month, every groupBy in turn, from every user: their own
// usage, or (every other round, for org members) their org's.
import type { Population } from "./population";
import { newTally, recordError, type RouteSpec } from "./tally";

const GROUP_BYS = ["model", "provider", "member", "day"] as const;

export function dashboardRoute(pop: Population, connections: number) {
  const tally = newTally();
  let next = 0;
  const spec: RouteSpec = {
    name: "dashboard",
    connections,
    tally,
    request: {
      method: "GET",
      setupRequest(req) {
        const seq = next++;
        const i = seq % pop.users.length;
        const round = Math.floor(seq / pop.users.length);
        const user = pop.users[i]!;
        const query = new URLSearchParams({
          from: pop.from,
          to: pop.to,
          groupBy: GROUP_BYS[(round + i) % GROUP_BYS.length]!,
        });
        if (user.org && round % 2 === 0) query.set("billTo", user.org.name);
        tally.sent++;
        return {
          ...req,
          path: `/api/billing/usage?${query}`,
          headers: { authorization: `Bearer ${user.token}` },
        };
      },
      onResponse(status, body) {
        let total: unknown;
        try {
          total = (JSON.parse(body) as { total?: unknown }).total;
        } catch {
          total = undefined;
        }
        if (status === 200 && total) tally.ok++;
        else recordError(tally, `${status} ${body}`);
      },
    },
  };
  const finish = () => {
    const unanswered = tally.sent - tally.ok - tally.errors;
    for (let k = 0; k < unanswered; k++) recordError(tally, "no answer");
  };
  return { spec, finish };
}
