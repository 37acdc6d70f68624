import { accountCommands } from "./accounts";
import { billingCommands } from "./billing";

export const commands = { ...accountCommands, ...billingCommands };
export type CommandName = keyof typeof commands;

export function usage(): string {
  return ["Usage: npm run admin -- <command> [--flag value ...]", "Commands:"]
    .concat(Object.values(commands).map((c) => `  ${c.usage}`))
    .join("\n");
}
