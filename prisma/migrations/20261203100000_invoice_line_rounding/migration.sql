-- A usage invoice's "Rounding adjustment" line: the difference between the sum of the rounded
-- usage lines and the rounded credits plus the rounded pay-as-you-go, shown on its own instead
-- of inside the credits line (lib/ledger/usage-invoice.ts). Appended, so existing values keep
-- their order; nothing in this migration uses the new value (PostgreSQL forbids that in the
-- transaction that adds it).
ALTER TYPE "InvoiceLineKind" ADD VALUE 'rounding' AFTER 'credits';
