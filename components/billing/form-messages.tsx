/** A refusal from the API, in its own words. */
export function FormError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" data-testid="form-error" className="mt-2 text-sm text-red-700 dark:text-red-300">
      {error.message}
    </p>
  );
}

export function FormSuccess({ children }: { children: React.ReactNode }) {
  return (
    <p role="status" className="mt-2 text-sm text-green-700 dark:text-green-300">
      {children}
    </p>
  );
}
