"use client";

import type { CardFields as CardValues } from "./api";

const input =
  "mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-900";

export interface CardDraft {
  number: string;
  exp: string;
  cvc: string;
}

export const emptyCard: CardDraft = { number: "", exp: "", cvc: "" };

/** The typed card as the API takes it; a malformed expiry goes through as 0 and the API explains it. */
export function cardValues(d: CardDraft): CardValues {
  const [month = "", year = ""] = d.exp.split("/").map((s) => s.trim());
  return {
    number: d.number.trim(),
    expMonth: Number(month) || 0,
    expYear: year.length === 2 ? 2000 + Number(year) : Number(year) || 0,
    cvc: d.cvc.trim(),
  };
}

/** Card number, expiry and security code. */
export function CardFields({ value, onChange }: { value: CardDraft; onChange: (d: CardDraft) => void }) {
  return (
    <div className="grid grid-cols-1 gap-2 sm:grid-cols-[2fr_1fr_1fr]">
      <label className="block text-sm font-medium">
        Card number
        <input
          className={input}
          inputMode="numeric"
          autoComplete="cc-number"
          placeholder="4242 4242 4242 4242"
          value={value.number}
          onChange={(e) => onChange({ ...value, number: e.target.value })}
          required
        />
      </label>
      <label className="block text-sm font-medium">
        Expiry (MM/YY)
        <input
          className={input}
          autoComplete="cc-exp"
          placeholder="12/30"
          value={value.exp}
          onChange={(e) => onChange({ ...value, exp: e.target.value })}
          required
        />
      </label>
      <label className="block text-sm font-medium">
        Security code
        <input
          className={input}
          inputMode="numeric"
          autoComplete="cc-csc"
          placeholder="123"
          value={value.cvc}
          onChange={(e) => onChange({ ...value, cvc: e.target.value })}
          required
        />
      </label>
    </div>
  );
}
