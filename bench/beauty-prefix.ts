/**
 * The first `users` users of Amazon Beauty as SASRec training sequences (each history without its
 * last, test, item; every item of the catalogue kept), for the shortened SASRec runs
 * (bench/sasrec-epoch.ts, bench/sasrec-learning.ts). Reads Beauty.txt from the datasets folder
 * (eval/datasets.ts: $SHOPSIGHT_DATASETS, else ../shared/datasets beside the checkout).
 */
import { readFileSync } from 'node:fs';
import { datasetPath } from '../eval/datasets.js';

export interface BeautyPrefix {
  readonly users: number;
  readonly items: number;
  readonly offsets: Int32Array;
  readonly itemIds: Int32Array;
}

export function beautyPrefix(users: number): BeautyPrefix {
  const file = datasetPath('amazon-beauty', 'Beauty.txt');
  const histories = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(/\s+/)
        .slice(1)
        .map((x) => Number(x) - 1),
    );
  let items = 0;
  for (const h of histories) for (const i of h) items = Math.max(items, i + 1);
  const n = Math.min(users, histories.length);
  const offsets = new Int32Array(n + 1);
  const ids: number[] = [];
  for (let u = 0; u < n; u++) {
    for (const i of histories[u]!.slice(0, -1)) ids.push(i);
    offsets[u + 1] = ids.length;
  }
  return { users: n, items, offsets, itemIds: Int32Array.from(ids) };
}
