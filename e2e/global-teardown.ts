import { admin } from "./admin-cli";
import { E2E_DATA_DIR } from "../playwright.config";

/**
 * After the whole suite, against the app's database: every cent the local processor captured
 * is an invoice or threshold charge of ours, and the reverse (`npm run admin -- check-money`).
 */
export default async function globalTeardown() {
  const report = await admin({ DATA_DIR: E2E_DATA_DIR }, "check-money").catch((e: Error) => {
    throw new Error(`Money is not conserved after the e2e suite: ${e.message}`);
  });
  console.log(
    `money conserved: ${String(report.capturedCents)} cents captured = ${String(report.chargedCents)} charged`,
  );
}
