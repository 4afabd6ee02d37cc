/**
 * @module warehouse/clickhouse/format-value
 * Values written into ClickHouse SQL text and TSV bodies. ClickHouse 18.16 rejects the client's
 * query parameters (`{name:Type}` arrived in 19.x), so every value reaches the server as a literal
 * formatted here, one place, escaped so that no value can end its quote and add SQL.
 *
 * @example
 *   chLiteral("O'Brien"); // "'O\\'Brien'"
 *   bindParams('SELECT * FROM orders WHERE customer_id = ? AND ordered_at < ?', ['12347', new Date(0)]);
 */
import type { SqlValue } from '../warehouse.js';

/** A Date as ClickHouse reads a DateTime('UTC'): 'YYYY-MM-DD hh:mm:ss' (whole seconds). */
export function chDateTime(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('an invalid Date cannot be sent to ClickHouse');
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** A string in single quotes with backslash, quote and control characters escaped. */
export function chString(s: string): string {
  return `'${s.replace(/[\\'\n\r\t\0]/g, (c) => ESCAPES[c]!)}'`;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
};

/** One bound value as a SQL literal. Times go in as toDateTime('...', 'UTC'), never as local time. */
export function chLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be sent to ClickHouse as a number`);
    return String(value);
  }
  if (value instanceof Date) return `toDateTime(${chString(chDateTime(value))}, 'UTC')`;
  if (value instanceof Uint8Array) {
    return `unhex('${Buffer.from(value).toString('hex')}')`;
  }
  return chString(value);
}

/**
 * Replaces each `?` outside quotes, identifiers and comments by the next value's literal, so the
 * queries can be written with placeholders like the DuckDB ones. The count must match.
 */
export function bindParams(sql: string, params: readonly SqlValue[] = []): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      if (next >= params.length)
        throw new RangeError(`the SQL has more ? than the ${params.length} values given`);
      out += chLiteral(params[next++]!);
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (next !== params.length) {
    throw new RangeError(`${params.length} values given for ${next} ? in the SQL`);
  }
  return out;
}

function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === '\\') i++;
    else if (sql[i] === quote) return i;
  }
  throw new SyntaxError(`unterminated ${quote} in SQL at offset ${start}`);
}

/** A TSV field (ClickHouse TabSeparated escaping); null is \N. */
export function tsvField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\n\r\t\0]/g, (c) => ESCAPES[c]!);
}
