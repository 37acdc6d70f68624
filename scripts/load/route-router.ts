// POST /v1/chat/completions from every user in turn: half of the org members' calls bill their
// org (the capped org's members always do), a quarter stream, across four models (one
// compute-priced, one where the router picks the provider), all on the offline sandbox.
import { bump, type Expected } from "./expected";
import type { Population } from "./population";
import { errorCode, header, newTally, recordError, type RouteSpec, type SeqContext } from "./tally";

const MODELS = [
  "meta-llama/Llama-3.3-70B-Instruct:together",
  "openai/gpt-oss-120b:groq",
  "meta-llama/Llama-3.1-8B-Instruct",
  "meta-llama/Llama-3.1-8B-Instruct:hf-inference",
];

interface Sent {
  accountId: string;
  capped: boolean;
  stream: boolean;
}

export function routerRoute(pop: Population, expected: Expected, connections: number) {
  const tally = newTally();
  const pending = new Map<number, Sent>();
  let next = 0;

  /** A 200's body did the work: a completion with its billed cost, or a stream that ended. */
  function completed(body: string, stream: boolean): boolean {
    if (!stream) {
      try {
        return Boolean((JSON.parse(body) as { usage?: { cost?: unknown } }).usage?.cost);
      } catch {
        return false;
      }
    }
    return body.includes('"cost":') && body.trimEnd().endsWith("data: [DONE]") && !body.includes('"error":');
  }

  const spec: RouteSpec = {
    name: "router",
    connections,
    tally,
    request: {
      method: "POST",
      path: "/v1/chat/completions",
      setupRequest(req, context) {
        const seq = next++;
        const i = seq % pop.users.length;
        const round = Math.floor(seq / pop.users.length);
        const user = pop.users[i]!;
        const org = user.org && (user.org.capped || round % 2 === 0) ? user.org : null;
        const stream = (round + i) % 4 === 3;
        (context as SeqContext).seq = seq;
        pending.set(seq, {
          accountId: org?.accountId ?? user.accountId,
          capped: Boolean(org?.capped),
          stream,
        });
        tally.sent++;
        return {
          ...req,
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${user.token}`,
            ...(org ? { "x-hf-bill-to": org.name } : {}),
          },
          body: JSON.stringify({
            model: MODELS[(round + i) % MODELS.length],
            messages: [{ role: "user", content: `Load test call ${seq}: say hello.` }],
            max_tokens: 64,
            ...(stream ? { stream: true } : {}),
          }),
        };
      },
      onResponse(status, body, context, headers) {
        const seq = (context as SeqContext).seq!;
        const sent = pending.get(seq)!;
        pending.delete(seq);
        const id = header(headers, "x-request-id");
        if (status === 200 && id && completed(body, sent.stream)) {
          tally.ok++;
          expected.routerOk.set(id, sent.accountId);
          bump(expected.routerOkByAccount, sent.accountId);
        } else if (status === 402 && sent.capped && errorCode(body) === "spending_limit_reached") {
          tally.refused++;
        } else {
          recordError(tally, `${status} ${body}`);
        }
      },
    },
  };
  /** Requests still without an answer once the run is over. */
  const finish = () => {
    for (const sent of pending.values()) {
      bump(expected.routerUnanswered, sent.accountId);
      recordError(tally, "no answer");
    }
    pending.clear();
  };
  return { spec, finish };
}
