import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/**
 * Appends rows to `table` with COPY, on the caller's connection (inside its transaction): the
 * cheapest way PostgreSQL takes many rows, with no statement to parse, plan or unnest.
 */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  lines: CopyLines,
): Promise<void> {
  if (lines.empty) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(lines.bytes());
  });
}

/**
 * COPY's text format, one row per line, fields separated by tabs: build a line with copyText
 * for strings, `\N` for null, numbers as they print and dates as UTC ISO 8601. Each line is
 * encoded into one growing buffer as it comes: a batch's lines joined into one string cost
 * about three times more to encode (a string of a thousand concatenated pieces is slow to
 * flatten) than to build.
 */
export class CopyLines {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private size = 0;

  add(line: string): void {
    const most = this.size + line.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (most > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(most, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.size);
      this.buffer = grown;
    }
    this.size += this.buffer.write(line, this.size);
  }

  get empty(): boolean {
    return this.size === 0;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.size);
  }
}

const special = /[\\\t\n\r]/;
const escapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A string as a COPY text field (backslash, tab and line breaks escaped); `\N` for null. */
export function copyText(v: string | null): string {
  if (v === null) return "\\N";
  // Most strings hold none of these: a test costs less than a replace.
  return special.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => escapes[c]!) : v;
}
