import type { Metadata } from "next";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { Notifications } from "@/components/alerts/notifications";
import { PageHeader } from "@/components/ui/section";
import { notificationsFor } from "@/lib/alerts/feed";
import { queryKeys } from "@/lib/api/query-keys";
import { requireUser } from "@/lib/auth/session";
import { readEnv } from "@/lib/config/env";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Alerts" };

export default async function NotificationsPage() {
  const user = await requireUser();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    queryKey: queryKeys.notifications(),
    queryFn: () => notificationsFor(getDb(), user.id),
  });
  return (
    <>
      <PageHeader
        title="Alerts"
        description="What you spend against your credits and limits, as it happens."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Notifications smtpConfigured={Boolean(readEnv().SMTP_URL)} />
      </HydrationBoundary>
    </>
  );
}
