/**
 * @module warehouse/duckdb/node-api
 * The values of `@duckdb/node-api` this engine uses, loaded with `require` rather than `import`.
 * The package is CommonJS whose entry re-exports about 120 files; imported from an ES module, Node
 * runs its CommonJS export scanner (cjs-module-lexer) over every one of them to name their exports,
 * which cost `shopsight import` about 0.2 s of CPU at start-up (loading the package: 370-405 ms of
 * CPU by `import`, 160-175 ms by `require`, 3 alternating runs each, load 9). Types come from the
 * package as usual (`import type`).
 */
import { createRequire } from 'node:module';

type NodeApi = typeof import('@duckdb/node-api');

const api = createRequire(import.meta.url)('@duckdb/node-api') as NodeApi;

export const { DuckDBInstance, DuckDBDataChunk, DuckDBTimestampValue, blobValue } = api;
export const DuckDBTypeId = api.DuckDBTypeId;
export type DuckDBTypeId = import('@duckdb/node-api').DuckDBTypeId;
export type DuckDBInstance = import('@duckdb/node-api').DuckDBInstance;
export type DuckDBDataChunk = import('@duckdb/node-api').DuckDBDataChunk;
export type DuckDBTimestampValue = import('@duckdb/node-api').DuckDBTimestampValue;
export type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
