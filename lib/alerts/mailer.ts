import nodemailer from "nodemailer";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends an email, or is null when no SMTP server is configured (emails then stay in the app's outbox). */
export type Mailer = ((mail: Mail) => Promise<void>) | null;

/** SMTP_URL (smtp[s]://user:pass@host:port) and ALERTS_EMAIL_FROM; unset SMTP_URL: no mailer. */
export function mailerFromEnv(env: { SMTP_URL?: string; ALERTS_EMAIL_FROM: string }): Mailer {
  if (!env.SMTP_URL) return null;
  const transport = nodemailer.createTransport(env.SMTP_URL);
  return async (mail) => {
    await transport.sendMail({ from: env.ALERTS_EMAIL_FROM, ...mail });
  };
}
