import { describe, expect, it } from "vitest";
import { LOGIN_ERRORS, loginErrorMessage } from "./login-errors";

describe("loginErrorMessage", () => {
  it("says what went wrong in words", () => {
    expect(loginErrorMessage(LOGIN_ERRORS.invalid)).toBe("Incorrect email or password.");
    expect(loginErrorMessage(`${LOGIN_ERRORS.throttledPrefix}61`)).toBe(
      "Too many failed sign-in attempts. Try again in 2 minutes.",
    );
    expect(loginErrorMessage(`${LOGIN_ERRORS.throttledPrefix}30`)).toBe(
      "Too many failed sign-in attempts. Try again in 1 minute.",
    );
    expect(loginErrorMessage(null)).toBeNull();
  });
});
