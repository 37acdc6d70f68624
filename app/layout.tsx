import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/query-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Billing & usage", template: "%s · Billing & usage" },
  description: "What you spend on inference, by model and by provider; your provider keys; your invoices.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, the 404 page too, so every page carries its own CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
