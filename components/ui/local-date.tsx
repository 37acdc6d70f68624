"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * A UTC instant shown in the viewer's locale and time zone. The server renders the UTC date;
 * the browser then renders local time, without a hydration mismatch.
 */
export function LocalDate({ iso }: { iso: string }) {
  const local = useSyncExternalStore(
    subscribe,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
    () => `${iso.slice(0, 10)} UTC`,
  );
  return <time dateTime={iso}>{local}</time>;
}
