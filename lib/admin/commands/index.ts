import { accountCommands } from "./accounts";
import { billingCommands } from "./billing";
import { reconcileCommands } from "./reconcile";

export const commands = { ...accountCommands, ...billingCommands, ...reconcileCommands };
export type CommandName = keyof typeof commands;

export function usage(): string {
  return ["Usage: npm run admin -- <command> [--flag value ...]", "Commands:"]
    .concat(Object.values(commands).map((c) => `  ${c.usage}`))
    .join("\n");
}
