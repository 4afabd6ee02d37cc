/** What the benchmarks ran on, for docs/BENCHMARKS.md. */
import { cpus, totalmem } from 'node:os';

export function machineLine(duckdbVersion: string): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const ram = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} cores (${cpu}), ${ram} GiB RAM, Node ${process.version}, DuckDB ${duckdbVersion}, ${process.platform}`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t) / 1000, value };
}
