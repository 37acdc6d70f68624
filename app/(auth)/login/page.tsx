import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { enabledOAuthProviders } from "@/lib/auth/options";
import { getCurrentUser } from "@/lib/auth/session";
import { loginErrorMessage } from "@/lib/auth/login-errors";

export const metadata: Metadata = { title: "Sign in" };

/** Only same-site paths are followed after sign-in, so the login page cannot be used to redirect away. */
function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.startsWith("/") && !v.startsWith("//") ? v : "/settings/billing";
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? loginErrorMessage(params.error) : null;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <div>
        <h1 className="text-2xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">
          Billing and usage settings for inference providers.
        </p>
      </div>
      <LoginForm callbackUrl={callbackUrl} initialError={error} oauthProviders={enabledOAuthProviders()} />
    </main>
  );
}
