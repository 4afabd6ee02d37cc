/**
 * How the ClickHouse eval suites (clickhouse.ts, clickhouse-forecast.ts, clickhouse-train.ts,
 * clickhouse-risk.ts) hold the cluster's answers to DuckDB's on the same file: a comparison is one
 * read per engine over a list of option sets, made one check (`comparisonCheck`), so a suite is a
 * table of comparisons looped once; stored metrics are compared key by key (`sameMetrics`); typed
 * arrays element by element (`same`).
 *
 * @example
 *   const kpiCheck = compareEngines({ name: 'KPIs', options: [{}], onClickHouse: chKpis, onDuckDB: kpis, source });
 *   await comparisonCheck(SUITE, kpiCheck, { ch, wh }); // "KPIs equal DuckDB's (1 option sets)"
 */
import type { ClickHouseStore } from '../../src/warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { equals, firstDifference, holds, type Check } from '../check.js';

/** The two engines holding the same file. */
export interface Engines {
  readonly ch: ClickHouseStore;
  readonly wh: Warehouse;
}

/** One section read on both engines for every option set (built by compareEngines). */
export interface EngineComparison {
  readonly name: string;
  readonly optionSets: number;
  /** What "equal" means and against what (the check's source). */
  readonly source: string;
  /** Per option set whose answers differ: the options and the first difference. */
  differences(engines: Engines): Promise<string[]>;
}

export function compareEngines<O, T>(spec: {
  readonly name: string;
  readonly options: readonly O[];
  readonly onClickHouse: (ch: ClickHouseStore, o: O) => Promise<T>;
  readonly onDuckDB: (wh: Warehouse, o: O) => Promise<T>;
  /** The first difference, or null; default firstDifference (counts exact, floats 1e-9 relative). */
  readonly difference?: (onClickHouse: T, onDuckDB: T) => string | null;
  readonly source: string;
}): EngineComparison {
  const difference = spec.difference ?? firstDifference;
  return {
    name: spec.name,
    optionSets: spec.options.length,
    source: spec.source,
    async differences({ ch, wh }) {
      const diffs: string[] = [];
      for (const o of spec.options) {
        const d = difference(await spec.onClickHouse(ch, o), await spec.onDuckDB(wh, o));
        if (d) diffs.push(`${JSON.stringify(o) ?? 'defaults'}: ${d}`);
      }
      return diffs;
    },
  };
}

/** The check of one comparison: it holds when no option set differs, naming the first that does. */
export async function comparisonCheck(suite: string, c: EngineComparison, engines: Engines): Promise<Check> {
  const diffs = await c.differences(engines);
  return holds(
    suite,
    `${c.name} equal DuckDB's (${c.optionSets} option sets)`,
    diffs.length === 0,
    diffs[0] ?? 'all equal',
    c.source,
  );
}

/**
 * One check per metric, named `prefix` + the key: the cluster run's value equals the DuckDB run's as
 * text. `keys` defaults to the DuckDB run's numeric metrics, in their order.
 */
export function sameMetrics(
  suite: string,
  prefix: string,
  onDuckDB: Readonly<Record<string, unknown>>,
  onClickHouse: Readonly<Record<string, unknown>>,
  source: string,
  keys: readonly string[] = Object.keys(onDuckDB).filter((k) => typeof onDuckDB[k] === 'number'),
): Check[] {
  return keys.map((key) =>
    equals(suite, `${prefix}${key}`, String(onDuckDB[key]), String(onClickHouse[key]), source),
  );
}

/** Equal length and every element the same (Object.is: NaN equals NaN, 0 differs from -0). */
export const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));

/** The first place two records differ (typed arrays element by element, Object.is; the rest as JSON), or null. */
export function firstExactDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | null {
  for (const k of Object.keys(b)) {
    const x = a[k];
    const y = b[k];
    if (ArrayBuffer.isView(x) && ArrayBuffer.isView(y)) {
      const xs = x as unknown as ArrayLike<number>;
      const ys = y as unknown as ArrayLike<number>;
      if (xs.length !== ys.length) return `${k}: ${xs.length} vs ${ys.length} elements`;
      for (let i = 0; i < xs.length; i++)
        if (!Object.is(xs[i], ys[i])) return `${k}[${i}]: ${xs[i]} vs ${ys[i]}`;
    } else if (JSON.stringify(x) !== JSON.stringify(y)) {
      return `${k}: ${JSON.stringify(x).slice(0, 80)} vs ${JSON.stringify(y).slice(0, 80)}`;
    }
  }
  return null;
}
