/**
 * @module warehouse/holder
 * Who holds a database file. DuckDB lets one process open a file for writing; `shopsight serve`
 * keeps it open for as long as it runs and says so in `<db>.serve.json` (pid, URL, start time), so a
 * CLI command refused by DuckDB's file lock can name the server and the API call that does the same
 * work, instead of DuckDB's bare "Conflicting lock".
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface DatabaseHolder {
  readonly pid: number;
  /** Where the server listens, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly startedAt: string;
}

export function holderFile(dbPath: string): string {
  return `${dbPath}.serve.json`;
}

export function writeHolder(dbPath: string, holder: DatabaseHolder): void {
  writeFileSync(holderFile(dbPath), JSON.stringify(holder, null, 2) + '\n');
}

/** Removes the file only when it still names this process (a newer server may have replaced it). */
export function removeHolder(dbPath: string, pid = process.pid): void {
  if (readHolder(dbPath)?.pid === pid) rmSync(holderFile(dbPath), { force: true });
}

/** The holder the file names, or undefined when there is none or it is unreadable. */
export function readHolder(dbPath: string): DatabaseHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(holderFile(dbPath), 'utf8')) as Partial<DatabaseHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.url !== 'string') return undefined;
    return { pid: parsed.pid, url: parsed.url, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * The message for a command refused because another process holds the file: the server's pid and
 * URL when the holder file names the same pid DuckDB reported, and what to do either way.
 * `viaServer` is the API call that does what the refused command would have (e.g.
 * `POST /v1/admin/train/customers`); without it the admin endpoints are listed.
 */
export function busyMessage(dbPath: string, pid: number, program: string, viaServer?: string): string {
  const holder = readHolder(dbPath);
  if (holder && holder.pid === pid) {
    const api = viaServer
      ? `${viaServer} does the same`
      : 'admin endpoints: POST /v1/admin/import, POST /v1/admin/train/{task}, POST /v1/admin/promote';
    return (
      `${dbPath} is held by the Shopsight server at ${holder.url} (pid ${pid}, started ${holder.startedAt}). ` +
      `One process owns the database while it serves: do this through the server's API ` +
      `(${api}; see ${holder.url}/docs), or stop the server (kill ${pid}) and run the command again`
    );
  }
  return (
    `${dbPath} is in use by another process (pid ${pid}, ${program}): DuckDB lets one process open ` +
    `a database file at a time. Wait for it to finish or stop it (kill ${pid}), then run the command again`
  );
}
