import { UsageLoading } from "./usage-states";

/** Shown while an inference-providers page renders on the server (route-level loading.tsx). */
export function InferenceProvidersLoading() {
  return (
    <div className="flex flex-col gap-6">
      <div className="h-8 w-72 animate-pulse rounded bg-gray-200 dark:bg-gray-800" />
      <div className="h-32 animate-pulse rounded-lg bg-gray-100 dark:bg-gray-900" />
      <div className="rounded-lg border border-gray-200 bg-white p-5 dark:border-gray-800 dark:bg-gray-900">
        <UsageLoading />
      </div>
    </div>
  );
}
