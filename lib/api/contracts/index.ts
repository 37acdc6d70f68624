import type { RouteContract } from "@/lib/http/contract";
import * as alerts from "./alerts";
import * as billing from "./billing";
import * as insights from "./insights";
import * as invoices from "./invoices";
import * as orgControls from "./org-controls";
import * as paymentMethods from "./payment-methods";
import * as previewsAudit from "./previews-audit";
import * as reference from "./reference";
import * as router from "./router";
import * as settings from "./settings";
import * as usageEvents from "./usage-events";
import * as usageHolds from "./usage-holds";

const modules = [
  router,
  usageEvents,
  usageHolds,
  billing,
  insights,
  invoices,
  paymentMethods,
  orgControls,
  previewsAudit,
  alerts,
  settings,
  reference,
];

/** Every operation of the HTTP API by its export name (its operationId), groups in the reference's order. */
export const CONTRACTS: readonly { id: string; contract: RouteContract }[] = modules.flatMap((m) =>
  Object.entries(m).map(([id, contract]) => ({ id, contract: contract as RouteContract })),
);
