import { describe, expect, it } from "vitest";
import { parseCommand } from "./cli";

describe("admin CLI argument parsing", () => {
  it("accepts exactly the documented flags", () => {
    expect(
      parseCommand([
        "create-user",
        "--email",
        "A@Example.com",
        "--password",
        "a-long-password",
        "--plan",
        "pro",
      ]),
    ).toEqual({
      ok: true,
      name: "create-user",
      flags: { email: "a@example.com", password: "a-long-password", plan: "pro" },
    });
    expect(parseCommand(["create-org", "--name", "acme", "--plan", "team", "--seats", "5"])).toMatchObject({
      ok: true,
      flags: { name: "acme", plan: "team", seats: 5 },
    });
    expect(parseCommand(["create-token", "--email", "a@example.com"])).toMatchObject({
      ok: true,
      flags: { email: "a@example.com", name: "cli" },
    });
  });

  it.each([
    [[], "unknown_command"],
    [["drop-everything"], "unknown_command"],
    [
      ["create-user", "--email", "nope", "--password", "a-long-password", "--plan", "pro"],
      "invalid_arguments",
    ],
    [
      ["create-user", "--email", "a@example.com", "--password", "short", "--plan", "pro"],
      "invalid_arguments",
    ],
    [
      ["create-user", "--email", "a@example.com", "--password", "a-long-password", "--plan", "team"],
      "invalid_arguments",
    ],
    [["create-user", "--email", "a@example.com", "--password"], "invalid_arguments"],
    [["create-org", "--name", "acme", "--plan", "pro", "--seats", "5"], "invalid_arguments"],
    [["create-org", "--name", "acme", "--plan", "team", "--seats", "0"], "invalid_arguments"],
    [["create-org", "--name", "acme", "--plan", "team", "--seats", "2.5"], "invalid_arguments"],
    [["create-org", "--name", "no spaces", "--plan", "team", "--seats", "1"], "invalid_arguments"],
    [["add-member", "--org", "acme", "--email", "a@example.com", "--role", "owner"], "invalid_arguments"],
    [["create-token", "--email", "a@example.com", "--unknown", "x"], "invalid_arguments"],
  ])("refuses %j with %s", (argv, code) => {
    const result = parseCommand(argv);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });
});
