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

/**
 * Waits up to `graceMs` for a worker that was told to stop to leave by itself, then terminates it.
 * Terminating a thread while it is inside a native call can abort the whole process: a thread
 * ended in the middle of an onnxruntime product takes the process down with SIGABRT ("terminate
 * called after throwing an instance of 'Napi::Error'"; 19 of 20 tries on this machine), so the
 * workers that may be in one (SASRec's, ALS's) are asked to finish their step and return first.
 */
export async function endWorker(worker: Worker, graceMs = 30_000): Promise<void> {
  if (worker.threadId < 0) return; // already exited
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<boolean>((resolve) => {
    worker.once('exit', () => resolve(true));
    timer = setTimeout(() => resolve(false), graceMs);
  });
  const left = await exited;
  clearTimeout(timer);
  if (!left) await worker.terminate();
}
