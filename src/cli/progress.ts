/**
 * @module cli/progress
 * A progress bar on stderr for work that takes more than a second, only when stderr is a
 * terminal (never in pipes, CI logs or --json consumers). It shows the current step and, while a
 * statement runs, DuckDB's own estimate of how far it is.
 */
import { SingleBar } from 'cli-progress';
import type { Warehouse } from '../warehouse/warehouse.js';

const SHOW_AFTER_MS = 1000;
const TICK_MS = 100;

export interface StepProgress {
  step(label: string, index: number, count: number): void;
  stop(): void;
}

export function startProgress(wh: Warehouse, title: string): StepProgress {
  if (!process.stderr.isTTY) return { step: () => undefined, stop: () => undefined };
  const started = Date.now();
  let label = 'starting';
  let bar: SingleBar | undefined;
  const timer = setInterval(() => {
    if (!bar && Date.now() - started < SHOW_AFTER_MS) return;
    if (!bar) {
      bar = new SingleBar({
        format: `${title} [{bar}] {percentage}% | {label} | {elapsed}s`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      });
      bar.start(100, 0, { label, elapsed: '0' });
    }
    const pct = Math.max(0, Math.min(100, Math.round(wh.progress().percentage)));
    bar.update(pct, { label, elapsed: ((Date.now() - started) / 1000).toFixed(0) });
  }, TICK_MS);
  return {
    step(l, index, count) {
      label = count > 1 ? `${l} (file ${index + 1}/${count})` : l;
    },
    stop() {
      clearInterval(timer);
      bar?.stop();
    },
  };
}
