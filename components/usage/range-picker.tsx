"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { addDays, daysBetween, MAX_RANGE_DAYS, type UsageRange } from "@/lib/usage/range";

export interface RangePreset {
  label: string;
  range: UsageRange;
}

const inputClass =
  "mt-1 block rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-900 dark:[color-scheme:dark]";

/**
 * Presets and a from/to pair of UTC days. The "to" field shows the last day included; the
 * range it produces is [from, last day + 1), the API's convention.
 */
export function RangePicker({
  range,
  presets,
  onChange,
}: {
  range: UsageRange;
  presets: RangePreset[];
  onChange: (range: UsageRange) => void;
}) {
  const [from, setFrom] = useState(range.from);
  const [last, setLast] = useState(addDays(range.to, -1));
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(range);
  if (shown.from !== range.from || shown.to !== range.to) {
    // The range changed elsewhere (a preset, the back button): follow it.
    setShown(range);
    setFrom(range.from);
    setLast(addDays(range.to, -1));
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    if (!from || !last) return setError("Choose both days.");
    const next = { from, to: addDays(last, 1) };
    const days = daysBetween(next.from, next.to);
    if (days <= 0) return setError("The first day must not be after the last day.");
    if (days > MAX_RANGE_DAYS) return setError(`Choose at most ${MAX_RANGE_DAYS} days.`);
    setError(null);
    onChange(next);
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Preset ranges">
        {presets.map((p) => {
          const active = p.range.from === range.from && p.range.to === range.to;
          return (
            <Button
              key={p.label}
              type="button"
              variant="secondary"
              aria-pressed={active}
              className={active ? "ring-2 ring-blue-600" : ""}
              onClick={() => onChange(p.range)}
            >
              {p.label}
            </Button>
          );
        })}
      </div>
      <form onSubmit={apply} className="flex flex-wrap items-end gap-3" aria-label="Custom range">
        <label className="text-sm font-medium">
          From (UTC)
          <input
            type="date"
            className={inputClass}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            required
          />
        </label>
        <label className="text-sm font-medium">
          To (UTC, included)
          <input
            type="date"
            className={inputClass}
            value={last}
            onChange={(e) => setLast(e.target.value)}
            required
          />
        </label>
        <Button type="submit" variant="secondary">
          Show range
        </Button>
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}
