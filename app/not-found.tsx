import Link from "next/link";
import { ErrorPage } from "@/components/ui/error-page";

export default function NotFound() {
  return (
    <ErrorPage status={404} title="Page not found">
      There is nothing here. If you followed a link to an organization, check its name.{" "}
      <Link className="underline" href="/settings/billing">
        Back to your settings
      </Link>
    </ErrorPage>
  );
}
