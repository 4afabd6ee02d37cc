/**
 * @module core/csv
 * The one CSV quoting every writer uses (the generator's byte writer, `recommend --out`,
 * `predict customers --csv`): RFC 4180, comma separator, a field holding a comma, a double quote,
 * CR or LF is quoted and its quotes doubled. Null and the empty string both write an empty field,
 * which the import reads back as null.
 *
 * @example
 *   csvField('15" sleeve'); // '"15"" sleeve"'
 *   csvRow(['a,b', null, 'c']); // '"a,b",,c'
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted only when it must be. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One row without its line end: the fields quoted as needed, joined by commas. */
export function csvRow(fields: readonly (string | null | undefined)[]): string {
  return fields.map(csvField).join(',');
}
