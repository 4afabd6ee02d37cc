/**
 * @module core/spawn-worker
 * Starts a worker thread on a module that sits beside the caller. Built code runs the `.js` file
 * directly. Run from TypeScript sources (vitest, tsx) the worker is a `.ts` file, and Node 20
 * workers ignore `--import` in execArgv, so a tiny bootstrap registers tsx's loader (a dev
 * dependency, present whenever sources run) before importing it.
 *
 * @example
 *   spawnWorker(import.meta.url, 'als-worker', init); // ./als-worker.js or ./als-worker.ts
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

/** `transferList`: what in `workerData` moves to the worker rather than being copied (a MessagePort must). */
export function spawnWorker(
  callerUrl: string,
  name: string,
  workerData: unknown,
  transferList?: readonly TransferListItem[],
): Worker {
  const options = { workerData, ...(transferList ? { transferList: [...transferList] } : {}) };
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const href = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(href)}); })`;
  return new Worker(boot, { eval: true, ...options });
}
