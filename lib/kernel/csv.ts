/** One CSV field, quoted when needed and never read as a formula. */
export function csvCell(value: string): string {
  // Quote when needed; a leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
