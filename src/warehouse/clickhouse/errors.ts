/**
 * @module warehouse/clickhouse/errors
 * ClickHouse errors as one class with the server's numeric code. 18.16 writes errors as
 * `Code: 60, e.displayText() = DB::Exception: Table x doesn't exist., e.what() = DB::Exception`,
 * which @clickhouse/client (made for current servers' `Code: 60. DB::Exception: ...`) does not parse,
 * so the code is read from the text here for both forms.
 */

export class ClickHouseError extends Error {
  override readonly name = 'ClickHouseError';
  constructor(
    message: string,
    /** The server's error code (60 unknown table, 170 unknown cluster, 210 connection refused), or null. */
    readonly code: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Well-known codes the store reacts to. */
export const CH_CODES = {
  UNKNOWN_TABLE: 60,
  SYNTAX_ERROR: 62,
  UNKNOWN_DATABASE: 81,
  BAD_GET: 170, // "Requested cluster 'x' not found"
  NETWORK_ERROR: 210,
  ALL_CONNECTION_TRIES_FAILED: 279,
} as const;

/** The code and the readable part of a ClickHouse error text (either server generation's form). */
export function parseServerError(text: string): { code: number | null; message: string } {
  const old =
    /Code:\s*(\d+),\s*e\.displayText\(\)\s*=\s*(?:DB::\w+:\s*)?([\s\S]*?)(?:,\s*e\.what\(\)\s*=.*)?$/m.exec(
      text.trim(),
    );
  if (old) return { code: Number(old[1]), message: old[2]!.trim() };
  const current = /Code:\s*(\d+)\.\s*(?:DB::\w+:\s*)?([\s\S]*?)(?:\s*\(\w+\)\s*\(version [^)]*\))?$/m.exec(
    text.trim(),
  );
  if (current) return { code: Number(current[1]), message: current[2]!.trim() };
  return { code: null, message: text.trim() };
}

/** Wraps whatever the client threw as a ClickHouseError naming the server and the code. */
export function toClickHouseError(err: unknown, where: string): ClickHouseError {
  if (err instanceof ClickHouseError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const { code, message } = parseServerError(raw);
  return new ClickHouseError(
    `ClickHouse at ${where}${code !== null ? ` (code ${code})` : ''}: ${message}`,
    code,
    { cause: err },
  );
}
