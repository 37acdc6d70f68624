import Link from "next/link";
import { ErrorPage } from "@/components/ui/error-page";

export default function Forbidden() {
  return (
    <ErrorPage status={403} title="You don't have access to this page">
      These settings belong to an organization you are not a member of, or they need a role you do not have.
      Ask one of its admins for access.{" "}
      <Link className="underline" href="/settings/billing">
        Back to your settings
      </Link>
    </ErrorPage>
  );
}
