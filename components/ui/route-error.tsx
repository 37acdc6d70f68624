"use client";

import { Button } from "./button";

/** A route's error boundary: a plain message (never the error's text) and a way to try again. */
export function RouteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div
      role="alert"
      className="rounded-lg border border-red-300 bg-red-50 p-5 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-1 text-sm">
        Something went wrong on our side. Your data is safe; try again in a moment.
      </p>
      <Button type="button" variant="secondary" className="mt-3" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
