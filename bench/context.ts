/** What every benchmark suite receives: a scratch folder, the project root and the row reporter. */
export interface BenchRow {
  readonly name: string;
  readonly figure: string;
  readonly baseline: string;
  readonly target: string;
  readonly ok: boolean;
}

export interface BenchContext {
  /** A scratch folder for this suite, removed after the run. */
  readonly work: string;
  readonly root: string;
  /** Prints the row and adds it to the suite's table in docs/BENCHMARKS.md. */
  readonly report: (row: BenchRow) => void;
  /** Extra markdown for the suite's section (e.g. a side-by-side model table). */
  readonly note: (markdown: string) => void;
}

export interface BenchSuite {
  readonly name: string;
  readonly title: string;
  readonly run: (ctx: BenchContext) => Promise<void>;
  /** Runs only when BENCH_ONLY names it (a suite that takes long, e.g. clickhouse-scale). */
  readonly onlyWhenNamed?: boolean;
}
