/** Who issues the invoices: printed on every invoice and receipt. */
export const SELLER = {
  name: "Inference Router, Inc.",
  lines: [
    "548 Market Street, Suite 7100",
    "San Francisco, CA 94104, USA",
    "billing@inference-router.example",
  ],
} as const;
