/**
 * @module ingest/errors
 * One error type for everything that stops an import, carrying where it happened. The message
 * reads `file:line:column: reason` like a compiler's, so a person and an editor can both jump to it.
 */
export interface ImportErrorLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly reason: string;

  constructor(where: ImportErrorLocation, reason: string) {
    const place = [where.file, where.line, where.column ? `column ${where.column}` : undefined]
      .filter((p) => p !== undefined)
      .join(':');
    super(`${place}: ${reason}`);
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.reason = reason;
  }
}
