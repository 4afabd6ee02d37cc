/**
 * @module core/native-calls
 * A gate around the synchronous native calls a worker thread makes (onnxruntime's products). A
 * thread terminated while inside one takes the whole process down: Node's termination makes the
 * addon's next N-API call fail, the addon throws a C++ exception nothing catches, and the process
 * aborts ("terminate called after throwing an instance of 'Napi::Error'", SIGABRT: 19 of 20 tries
 * on this machine). So a thread that may be ended from outside (a training job on loan, cancelled
 * when the server stops) runs such calls through `nativeCall`, and whoever ends it first closes the
 * thread's gate with `closeGate` and waits for the calls in flight to return: after that no call
 * enters (it throws NativeCallsClosed instead) and terminating is safe.
 *
 * The gate is shared by a thread and every worker it starts afterwards (Node's environment data is
 * copied to new workers, and a SharedArrayBuffer is shared, not copied), so SASRec's or ALS's helper
 * threads inside a training job are held by the job's gate too. `spawnWithOwnGate` gives a worker
 * (and its helpers) a gate of its own, so that closing it leaves the caller's calls alone.
 *
 * @example
 *   const { value: worker, gate } = spawnWithOwnGate(() => spawnWorker(url, 'job', data));
 *   await closeGate(gate); // calls in flight have returned, none can start
 *   await worker.terminate();
 */
import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';

const KEY = 'shopsight:native-calls-gate';
const IN_FLIGHT = 0;
const CLOSED = 1;

/** Thrown by `nativeCall` once the thread's gate is closed (its thread is being ended). */
export class NativeCallsClosed extends Error {
  override readonly name = 'NativeCallsClosed';
}

function newGate(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

function threadGate(): SharedArrayBuffer {
  const inherited = getEnvironmentData(KEY);
  if (inherited instanceof SharedArrayBuffer) return inherited;
  const own = newGate();
  setEnvironmentData(KEY, own);
  return own;
}

const gate = new Int32Array(threadGate());

/** Runs `f` (a synchronous native call) unless this thread's gate is closed. */
export function nativeCall<T>(f: () => T): T {
  Atomics.add(gate, IN_FLIGHT, 1);
  try {
    if (Atomics.load(gate, CLOSED) !== 0) {
      throw new NativeCallsClosed('this thread is being stopped: no new native call may start');
    }
    return f();
  } finally {
    Atomics.sub(gate, IN_FLIGHT, 1);
  }
}

/** Runs `spawn` (which starts a worker) with a new gate that the worker and its own workers share. */
export function spawnWithOwnGate<T>(spawn: () => T): { readonly value: T; readonly gate: SharedArrayBuffer } {
  const mine = getEnvironmentData(KEY);
  const theirs = newGate();
  setEnvironmentData(KEY, theirs);
  try {
    return { value: spawn(), gate: theirs };
  } finally {
    setEnvironmentData(KEY, mine as SharedArrayBuffer);
  }
}

/**
 * Closes `gate` and waits until no call is in flight behind it (checked every 5 ms). Returns false
 * if calls were still in flight after `timeoutMs` (the caller may then terminate anyway).
 */
export async function closeGate(gate: SharedArrayBuffer, timeoutMs = 60_000): Promise<boolean> {
  const g = new Int32Array(gate);
  Atomics.store(g, CLOSED, 1);
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(g, IN_FLIGHT) !== 0) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
