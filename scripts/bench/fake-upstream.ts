// A provider that answers at once (`npm run bench:router`'s upstream), in its own process:
// an OpenAI chat completion with usage, so every gateway in front of it does the same work.
import http from "node:http";

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
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(body));
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
