import type { ReactNode } from "react";

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** A titled card on a settings page: a landmark region named by its heading. */
export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`section-${slug(title)}`}
      className="rounded-lg border border-gray-200 bg-white p-5 dark:border-gray-800 dark:bg-gray-900"
    >
      <h2 id={`section-${slug(title)}`} className="text-base font-semibold">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export function PageHeader({ title, description }: { title: string; description?: ReactNode }) {
  return (
    <header className="mb-6">
      <h1 className="text-2xl font-semibold">{title}</h1>
      {description ? <p className="mt-1 text-gray-600 dark:text-gray-400">{description}</p> : null}
    </header>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-gray-300 p-6 text-center dark:border-gray-700">
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-1 text-sm text-gray-600 dark:text-gray-400">{children}</div> : null}
    </div>
  );
}
