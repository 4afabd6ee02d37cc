/**
 * @module server/model-cache
 * Models in memory, swapped without dropping a request. Each (loader, task, version) is loaded once
 * (decoding the artifact plus whatever the loader builds: a Recommender, a catalogue) and shared by
 * every request. A promotion calls refresh(task): the new promoted version is loaded in full BEFORE
 * the pointer moves, so a request either gets the old model or the new one, never a half-loaded one
 * or an error; requests in flight keep the object they already hold.
 */
import type { ModelArtifact } from '../ml/artifact.js';
import { loadModel } from '../registry/registry.js';
import type { ModelRecord } from '../schema/models.js';
import { findModel } from '../warehouse/model-store.js';
import type { ServerWarehouse } from './db-pool.js';
import { httpError } from './errors.js';

/** Builds what requests use from a stored model (read more of the warehouse if it must). */
export type LoadFn<T> = (
  model: { record: ModelRecord; artifact: ModelArtifact },
  db: ServerWarehouse,
) => Promise<T>;

export interface Loaded<T> {
  readonly version: number;
  readonly modelId: string;
  readonly record: ModelRecord;
  readonly value: T;
}

export interface ModelCache {
  /** The promoted version of a task's model (or the version given), loaded by `load` once. */
  get<T>(task: string, load: LoadFn<T>, version?: number): Promise<Loaded<T>>;
  /** Re-reads which version is promoted and loads it before swapping it in. */
  refresh(task: string): Promise<void>;
  /** The version requests get now, when known. */
  promotedVersion(task: string): number | undefined;
  /**
   * Drops every version of a task held in memory and loads the serving one again: an artifact was
   * rewritten in place (privacy forget removed a person from it), so the copies held are stale.
   */
  reload(task: string): Promise<void>;
}

/** Versions kept per (loader, task): the serving one, the one before (rollback, A/B) and one more. */
const KEEP_VERSIONS = 3;

export class MemoryModelCache implements ModelCache {
  private readonly promoted = new Map<string, number | null>();
  private readonly entries = new Map<
    LoadFn<unknown>,
    Map<string, { at: number; value: Promise<Loaded<unknown>> }>
  >();

  constructor(private readonly db: ServerWarehouse) {}

  promotedVersion(task: string): number | undefined {
    return this.promoted.get(task) ?? undefined;
  }

  async get<T>(task: string, load: LoadFn<T>, version?: number): Promise<Loaded<T>> {
    const v = version ?? (await this.currentVersion(task));
    if (v === null) {
      throw httpError(
        503,
        'no_model',
        `no promoted ${task} model yet: train one (POST /v1/admin/train/... or npx shopsight train ...) and promote it`,
      );
    }
    return this.entry(task, load, v);
  }

  async refresh(task: string): Promise<void> {
    const record = await this.db.read((wh) => findModel(wh, task, 'promoted'));
    const next = record?.version ?? null;
    if (next !== null) {
      // Load the new version for every loader already serving this task, then swap.
      const loaders = [...this.entries.entries()].filter(([, m]) =>
        [...m.keys()].some((k) => k.startsWith(`${task}@`)),
      );
      await Promise.all(loaders.map(([load]) => this.entry(task, load, next)));
    }
    this.promoted.set(task, next);
  }

  /**
   * refresh() for every task asked for so far: a server on a ClickHouse cluster calls it on a timer,
   * since a promotion made through another process or by a training does not pass through it.
   */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.promoted.keys()].map((task) => this.refresh(task)));
  }

  async reload(task: string): Promise<void> {
    const loaders: LoadFn<unknown>[] = [];
    for (const [load, m] of this.entries) {
      const keys = [...m.keys()].filter((k) => k.startsWith(`${task}@`));
      if (keys.length) loaders.push(load);
      for (const k of keys) m.delete(k);
    }
    this.promoted.delete(task);
    const v = await this.currentVersion(task);
    if (v !== null) await Promise.all(loaders.map((load) => this.entry(task, load, v)));
  }

  private async currentVersion(task: string): Promise<number | null> {
    if (!this.promoted.has(task)) {
      const record = await this.db.read((wh) => findModel(wh, task, 'promoted'));
      if (!this.promoted.has(task)) this.promoted.set(task, record?.version ?? null);
    }
    return this.promoted.get(task)!;
  }

  private entry<T>(task: string, load: LoadFn<T>, version: number): Promise<Loaded<T>> {
    let byKey = this.entries.get(load as LoadFn<unknown>);
    if (!byKey) this.entries.set(load as LoadFn<unknown>, (byKey = new Map()));
    const key = `${task}@${version}`;
    const found = byKey.get(key);
    if (found) {
      found.at = Date.now();
      return found.value as Promise<Loaded<T>>;
    }
    const value = (async (): Promise<Loaded<T>> => {
      const model = await this.db.read((wh) => loadModel(wh, task, version));
      return {
        version,
        modelId: model.record.modelId,
        record: model.record,
        value: await load(model, this.db),
      };
    })();
    byKey.set(key, { at: Date.now(), value });
    // A failed load is not kept: the next request tries again.
    value.catch(() => byKey.delete(key));
    this.evict(task, byKey);
    return value;
  }

  private evict(task: string, byKey: Map<string, { at: number }>): void {
    const serving = this.promoted.get(task);
    const mine = [...byKey.entries()].filter(([k]) => k.startsWith(`${task}@`) && k !== `${task}@${serving}`);
    mine.sort((a, b) => b[1].at - a[1].at);
    for (const [k] of mine.slice(KEEP_VERSIONS - 1)) byKey.delete(k);
  }
}
