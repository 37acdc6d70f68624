import type { ReactNode } from "react";

export function ErrorPage({
  status,
  title,
  children,
}: {
  status: number;
  title: string;
  children: ReactNode;
}) {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-3 p-6">
      <p className="text-sm font-semibold text-gray-500 dark:text-gray-400">Error {status}</p>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-gray-600 dark:text-gray-300">{children}</p>
    </main>
  );
}
