import "server-only";
import { headers } from "next/headers";

/**
 * The viewer's locale from Accept-Language, so numbers are formatted the same on the server
 * and after hydration (the browser's own setting would differ from what the server rendered).
 */
export async function requestLocale(): Promise<string> {
  const header = (await headers()).get("accept-language") ?? "";
  for (const part of header.split(",")) {
    const tag = part.split(";")[0]!.trim();
    if (!tag || tag === "*") continue;
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // not a valid language tag: try the next one
    }
  }
  return "en-US";
}
