/**
 * @module warehouse/analytics/period
 * The optional reporting window every analytics function accepts: `from` inclusive, `to` exclusive,
 * both UTC. Half-open windows tile without overlap: January is { from: '2024-01-01', to: '2024-02-01' }.
 */
import { Params } from './sql.js';

export interface Period {
  /** First instant included: 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM[:SS]' (UTC). */
  readonly from?: string;
  /** First instant excluded, same format. */
  readonly to?: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?Z?$/;

/** Check a date string and return it as DuckDB reads it ('YYYY-MM-DD HH:MM:SS'); throws RangeError. */
export function parseInstant(value: string, name: string): string {
  const m = ISO.exec(value.trim());
  const d = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`) : null;
  // Round-trip the day so '2024-02-30' is refused instead of rolling over into March.
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}`) {
    throw new RangeError(`${name} must be a date like 2024-01-31 or 2024-01-31T13:45, got '${value}'`);
  }
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export interface ResolvedPeriod {
  readonly from: string | null;
  readonly to: string | null;
}

export function resolvePeriod(period: Period | undefined): ResolvedPeriod {
  const from = period?.from ? parseInstant(period.from, 'from') : null;
  const to = period?.to ? parseInstant(period.to, 'to') : null;
  if (from && to && from >= to) throw new RangeError(`from (${from}) must be before to (${to})`);
  return { from, to };
}

/** `column >= from` (or TRUE when open). */
export function fromClause(column: string, p: ResolvedPeriod, params: Params): string {
  return p.from ? `${column} >= CAST(${params.add(p.from)} AS TIMESTAMP)` : 'TRUE';
}

/** `column < to` (or TRUE when open). */
export function toClause(column: string, p: ResolvedPeriod, params: Params): string {
  return p.to ? `${column} < CAST(${params.add(p.to)} AS TIMESTAMP)` : 'TRUE';
}

/** Both bounds. */
export function periodClause(column: string, p: ResolvedPeriod, params: Params): string {
  return `${fromClause(column, p, params)} AND ${toClause(column, p, params)}`;
}
