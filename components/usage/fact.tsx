import type { ReactNode } from "react";

/** One labelled figure of a month summary (a `<dl>` entry). */
export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-sm text-gray-600 dark:text-gray-400">{label}</dt>
      <dd className="mt-0.5 font-semibold" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
