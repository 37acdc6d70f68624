import type { Db } from "@/lib/db/prisma";
import { alertText, alertTitle } from "./messages";

/** One alert as the notifications page shows it, with how each delivery went. */
export interface AlertItem {
  id: string;
  account: { org: string | null };
  month: string;
  kind: "credits" | "spending_limit";
  level: number;
  title: string;
  text: string;
  createdAt: string;
  deliveries: {
    channel: "email" | "webhook";
    recipient: string;
    status: string;
    attempts: number;
    lastError: string | null;
  }[];
}

export interface OutboxEmail {
  id: string;
  subject: string;
  body: string;
  createdAt: string;
}

export interface WebhookSetting {
  /** null: the user's own account. */
  org: string | null;
  label: string;
  webhook: { url: string; secretLast4: string; updatedAt: string } | null;
}

/**
 * What the notifications page shows a user: the alerts of their own account and of the orgs
 * they administer (admins act on limits; other members see the org's state on its usage page),
 * the emails kept for them in the outbox when no SMTP server is configured, and the webhooks.
 */
export async function notificationsFor(db: Db, userId: string) {
  const [user, own, adminOf] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } }),
    db.billingAccount.findUniqueOrThrow({
      where: { userId },
      select: { id: true, alertWebhook: { select: { url: true, secretLast4: true, updatedAt: true } } },
    }),
    db.membership.findMany({
      where: { userId, role: "admin", org: { billingAccount: { isNot: null } } },
      orderBy: { org: { name: "asc" } },
      select: {
        org: {
          select: {
            name: true,
            displayName: true,
            billingAccount: {
              select: {
                id: true,
                alertWebhook: { select: { url: true, secretLast4: true, updatedAt: true } },
              },
            },
          },
        },
      },
    }),
  ]);
  const orgOf = new Map<string, string | null>([[own.id, null]]);
  for (const m of adminOf) orgOf.set(m.org.billingAccount!.id, m.org.name);

  const [alerts, outbox] = await Promise.all([
    db.alert.findMany({
      where: { accountId: { in: [...orgOf.keys()] } },
      orderBy: [{ createdAt: "desc" }, { level: "desc" }],
      take: 100,
      include: { deliveries: { orderBy: [{ channel: "asc" }, { recipient: "asc" }] } },
    }),
    db.alertDelivery.findMany({
      where: { channel: "email", status: "outbox", recipient: user.email },
      orderBy: { createdAt: "desc" },
      take: 50,
    }),
  ]);

  const items: AlertItem[] = alerts.map((a) => {
    const facts = { ...a, orgName: orgOf.get(a.accountId) ?? null };
    return {
      id: a.id,
      account: { org: facts.orgName },
      month: a.period.toISOString().slice(0, 7),
      kind: a.kind,
      level: a.level,
      title: alertTitle(facts),
      text: alertText(facts),
      createdAt: a.createdAt.toISOString(),
      deliveries: a.deliveries.map((d) => ({
        channel: d.channel,
        // Org admins see that a colleague was emailed, not to which address beyond their own.
        recipient: d.channel === "email" && d.recipient !== user.email ? "another admin" : d.recipient,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
      })),
    };
  });
  const webhooks: WebhookSetting[] = [
    { org: null, label: "Your account", webhook: view(own.alertWebhook) },
    ...adminOf.map((m) => ({
      org: m.org.name,
      label: m.org.displayName,
      webhook: view(m.org.billingAccount!.alertWebhook),
    })),
  ];
  return {
    alerts: items,
    outbox: outbox.map((e) => ({
      id: e.id,
      subject: e.subject,
      body: e.body,
      createdAt: e.createdAt.toISOString(),
    })),
    webhooks,
  };
}

export type Notifications = Awaited<ReturnType<typeof notificationsFor>>;

const view = (w: { url: string; secretLast4: string; updatedAt: Date } | null) =>
  w ? { url: w.url, secretLast4: w.secretLast4, updatedAt: w.updatedAt.toISOString() } : null;
