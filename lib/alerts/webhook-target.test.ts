import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/config/env";
import { checkWebhookTarget, webhookPolicyFromEnv, type Resolve } from "./webhook-target";

/** A DNS that knows a few names, as a test's own resolver. */
const dns =
  (names: Record<string, string[]>): Resolve =>
  async (hostname) => {
    const found = names[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
const resolve = dns({
  "hooks.example.com": ["93.184.215.14", "2606:4700::1111"],
  "internal.example.com": ["10.0.0.7"],
  "mixed.example.com": ["93.184.215.14", "127.0.0.1"],
  "mapped.example.com": ["::ffff:169.254.169.254"],
  localhost: ["::1", "127.0.0.1"],
  "dev.test": ["127.0.0.1"],
});
const policy = (allow = "", production = false) =>
  webhookPolicyFromEnv(
    readEnv({
      NODE_ENV: "test",
      ALERT_WEBHOOK_ALLOW_HOSTS: allow,
      APP_ENV: production ? "production" : "development",
    }),
    resolve,
  );
const check = async (url: string, p = policy()) => {
  const target = await checkWebhookTarget(url, p);
  return target.ok ? target.addresses.map((a) => a.address) : target.reason;
};

describe("checkWebhookTarget", () => {
  it.each([
    // the finding's URLs
    ["http://127.0.0.1:3199/hook", "scheme"],
    ["https://127.0.0.1:3199/hook", "address"],
    ["https://169.254.169.254/latest/meta-data", "address"],
    ["https://[::1]/x", "address"],
    ["https://0x7f000001/", "address"],
  ])("refuses the finding's %s (%s)", async (url, reason) => {
    expect(await check(url)).toBe(reason);
  });

  it.each([
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://127.1/",
    "https://0x7f.1/",
    "https://①②⑦.0.0.1/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:a9fe:a9fe]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::a00:1]/",
    "https://[2002:a00:1::]/",
    "https://10.1.2.3/",
    "https://172.31.255.255/",
    "https://192.168.0.10:8443/admin",
    "https://100.100.100.200/", // CGNAT (also Alibaba's metadata endpoint)
    "https://0.0.0.0/",
    "https://[::]/",
    "https://[fe80::1]/",
    "https://[fd00:ec2::254]/", // AWS's IPv6 metadata endpoint
    "https://224.0.0.1/",
    "https://240.0.0.1/",
    "https://localhost/",
    "https://internal.example.com/",
    "https://mixed.example.com/", // one private address among public ones is enough
    "https://mapped.example.com/",
    "https://nowhere.example.com/", // does not resolve
  ])("refuses %s", async (url) => {
    expect(await check(url)).toMatch(/^(address|unresolved)$/);
  });

  it("accepts https to a host whose every address is public, and answers those addresses", async () => {
    expect(await check("https://hooks.example.com/billing")).toEqual(["93.184.215.14", "2606:4700::1111"]);
    expect(await check("https://93.184.215.14/billing")).toEqual(["93.184.215.14"]);
    expect(await check("https://[2606:4700::1111]:8443/billing")).toEqual(["2606:4700::1111"]);
  });

  it("refuses plain http, even to a public host", async () => {
    expect(await check("http://hooks.example.com/billing")).toBe("scheme");
    expect(await check("http://93.184.215.14/billing")).toBe("scheme");
  });

  it("lets allow-listed hosts through, over http only outside production", async () => {
    const dev = policy(" 127.0.0.1 , dev.test,::1");
    expect(await check("http://127.0.0.1:3199/hook", dev)).toEqual(["127.0.0.1"]);
    expect(await check("http://0x7f000001:3199/hook", dev)).toEqual(["127.0.0.1"]); // the same host
    expect(await check("https://dev.test/hook", dev)).toEqual(["127.0.0.1"]);
    expect(await check("http://[::1]/hook", dev)).toEqual(["::1"]);
    expect(await check("http://127.0.0.2/hook", dev)).toBe("scheme"); // only the hosts listed
    expect(await check("https://127.0.0.2/hook", dev)).toBe("address");

    const production = policy("127.0.0.1", true);
    expect(await check("http://127.0.0.1:3199/hook", production)).toBe("scheme");
    expect(await check("https://127.0.0.1:3199/hook", production)).toEqual(["127.0.0.1"]);
  });

  it("refuses an allow-list entry that is not a bare host", () => {
    expect(() => readEnv({ NODE_ENV: "test", ALERT_WEBHOOK_ALLOW_HOSTS: "127.0.0.1:3199" })).toThrow(
      /not a host name/,
    );
    expect(() => readEnv({ NODE_ENV: "test", ALERT_WEBHOOK_ALLOW_HOSTS: "dev.test/hook" })).toThrow(
      /not a host name/,
    );
  });
});
