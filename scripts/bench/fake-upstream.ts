// A provider that answers at once (`npm run bench:router`'s upstream), in its own process:
// an OpenAI chat completion with usage, so every gateway in front of it does the same work.
// UPSTREAM_DELAY_MS makes it a slow provider (the fault tests keep requests in flight with it).
import http from "node:http";

const delayMs = Number(process.env.UPSTREAM_DELAY_MS ?? 0);

const body = JSON.stringify({
  id: "chatcmpl-upstream",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "upstream-model",
  choices: [
    { index: 0, message: { role: "assistant", content: "Hello from the upstream." }, finish_reason: "stop" },
  ],
  usage: { prompt_tokens: 24, completion_tokens: 6, total_tokens: 30 },
});

http
  .createServer((req, res) => {
    req.resume();
    const reply = () => res.writeHead(200, { "content-type": "application/json" }).end(body);
    req.on("end", () => (delayMs > 0 ? setTimeout(reply, delayMs) : reply()));
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
