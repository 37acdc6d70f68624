/** What a save said: its success, announced politely, and its error, as an alert. */
export function SaveFeedback({
  status,
  error,
  statusTestId,
}: {
  status: string | null;
  error: Error | null;
  statusTestId?: string;
}) {
  return (
    <>
      <p
        role="status"
        aria-live="polite"
        className="text-sm text-green-800 dark:text-green-300"
        data-testid={statusTestId}
      >
        {status}
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : null}
    </>
  );
}
