/** Error strings passed from authorize() to the login page (next-auth carries them as ?error=). */
export const LOGIN_ERRORS = {
  missing: "MissingCredentials",
  invalid: "CredentialsSignin",
  throttledPrefix: "Throttled:",
} as const;

/** The sentence the login page shows for an error code from next-auth. */
export function loginErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code.startsWith(LOGIN_ERRORS.throttledPrefix)) {
    const seconds = Number(code.slice(LOGIN_ERRORS.throttledPrefix.length)) || 60;
    const minutes = Math.ceil(seconds / 60);
    return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  if (code === LOGIN_ERRORS.missing) return "Enter your email and password.";
  if (code === LOGIN_ERRORS.invalid) return "Incorrect email or password.";
  if (code === "OAuthAccountNotLinked" || code === "OAuthSignin" || code === "OAuthCallback")
    return "Sign-in with that provider failed. Try again, or use your email and password.";
  return "Sign-in failed. Try again.";
}
