/**
 * @module warehouse/remote/protocol
 * The messages a RemoteWarehouse (in a worker thread) and serveWarehouse (on the thread that owns
 * the database) exchange over one MessagePort. Every request carries an id; exactly one reply with
 * the same id answers it. Values cross by structured clone (Date and Uint8Array parameters included);
 * the typed arrays of a `columns` result are transferred, not copied.
 */
import type { AppendColumn, ColumnKind, SqlValue } from '../warehouse.js';

export type RemoteRequest =
  | { readonly id: number; readonly op: 'hello' }
  | {
      readonly id: number;
      readonly op: 'exec' | 'rows';
      readonly sql: string;
      readonly params?: readonly SqlValue[];
    }
  | {
      readonly id: number;
      readonly op: 'columns';
      readonly sql: string;
      readonly kinds: Record<string, ColumnKind>;
      readonly params?: readonly SqlValue[];
    }
  | {
      readonly id: number;
      readonly op: 'append';
      readonly table: string;
      readonly columns: Readonly<Record<string, AppendColumn>>;
    }
  | { readonly id: number; readonly op: 'progress' }
  /** Another connection of the owner's database, served on a new port (the reply's value). */
  | { readonly id: number; readonly op: 'connect' }
  | { readonly id: number; readonly op: 'close' };

/** What `hello` answers: the read-only facts of the served warehouse. */
export interface RemoteHello {
  readonly engine: 'duckdb' | 'clickhouse';
  readonly location: string;
  readonly schemaVersion: number;
}

export interface RemoteError {
  readonly name: string;
  readonly message: string;
}

export type RemoteReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: RemoteError };
