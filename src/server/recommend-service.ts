/**
 * @module server/recommend-service
 * The recommendation routes' state in one server: which model version answers whom (the promoted
 * one, or the visitor's variant of the A/B split in force), the version-independent lists mined
 * once, and the impression buffer. Answers read only memory: models come through ctx.models
 * (loaded once per version, hot-swapped on promote), impressions are written in batches.
 */
import { assignVariant, checkSplit, type SplitVariant } from '../tasks/recommend/ab-split.js';
import { ImpressionBuffer, type Impression } from '../tasks/recommend/impression-buffer.js';
import {
  loadCatalogueLists,
  servingFrom,
  type CatalogueLists,
  type RecommendServing,
} from '../tasks/recommend/serving.js';
import { deleteSplit, readSplit, writeSplit, type StoredSplit } from '../warehouse/ab-store.js';
import { insertImpressions } from '../warehouse/impressions-store.js';
import type { ServerContext } from './context.js';
import { HttpError, httpError } from './errors.js';
import type { Loaded, LoadFn } from './model-cache.js';

export const RECOMMEND_TASK = 'recommend';

/** Who is asking: the ids a split is drawn on and an impression records. */
export interface Visitor {
  readonly customerId?: string | undefined;
  readonly anonymousId?: string | undefined;
  readonly sessionId?: string | undefined;
}

export interface Served {
  readonly serving: RecommendServing;
  readonly version: number;
  readonly variant: SplitVariant | undefined;
}

export class RecommendService {
  private lists: Promise<CatalogueLists> | undefined;
  /** The split in force (read once from ab_splits, then kept in step by start/end). */
  private current: Promise<StoredSplit | undefined> | undefined;
  readonly impressions: ImpressionBuffer;
  /**
   * One loader for every version: the model cache keys its entries by loader, so this must be the
   * same function on every request. The catalogue lists are mined first, outside the read.
   */
  private readonly loader: LoadFn<RecommendServing> = async ({ record, artifact }, db) => {
    const lists = await this.catalogueLists();
    return db.read((wh) => servingFrom(wh, record, artifact, lists));
  };

  constructor(private readonly ctx: ServerContext) {
    this.impressions = new ImpressionBuffer((rows) => ctx.db.write((wh) => insertImpressions(wh, rows)), {
      onError: (err, rows) => ctx.log.warn({ err, rows }, 'impressions not written; kept for the next flush'),
    });
    this.impressions.start();
    ctx.onClose(() => this.impressions.close());
  }

  /** The model serving this visitor: their variant's version when a split is in force, else the promoted one. */
  async servingFor(visitor: Visitor): Promise<Served> {
    const split = await this.split();
    const id = visitor.customerId ?? visitor.anonymousId;
    const variant = split && id !== undefined ? assignVariant(RECOMMEND_TASK, split, id) : undefined;
    const loaded = await this.load(variant?.version);
    return { serving: loaded.value, version: loaded.version, variant };
  }

  record(impression: Omit<Impression, 'task' | 'servedAt'>): void {
    this.impressions.add({ ...impression, task: RECOMMEND_TASK, servedAt: new Date() });
  }

  split(): Promise<StoredSplit | undefined> {
    this.current ??= this.ctx.db.read((wh) => readSplit(wh, RECOMMEND_TASK));
    return this.current;
  }

  /** Checks the split, loads every variant's version, then stores it and serves by it. */
  async startSplit(variants: readonly { version: number; share: number }[]): Promise<StoredSplit> {
    const split = checkSplit({ variants });
    for (const [i, v] of split.variants.entries()) {
      await this.load(v.version, `body/variants/${i}/version`);
    }
    const stored = await this.ctx.db.write((wh) => writeSplit(wh, RECOMMEND_TASK, split.variants));
    this.current = Promise.resolve(stored);
    return stored;
  }

  async endSplit(): Promise<boolean> {
    const ended = await this.ctx.db.write((wh) => deleteSplit(wh, RECOMMEND_TASK));
    this.current = Promise.resolve(undefined);
    return ended;
  }

  /**
   * A version (or the promoted one) from the model cache. With `field` (an admin naming versions) a
   * version that cannot load is the caller's mistake, a 400 naming the field.
   */
  private async load(version: number | undefined, field?: string): Promise<Loaded<RecommendServing>> {
    try {
      return await this.ctx.models.get(RECOMMEND_TASK, this.loader, version);
    } catch (err) {
      if (field) throw httpError(400, 'invalid_request', `${field}: ${(err as Error).message}`);
      if (err instanceof HttpError) throw err;
      throw httpError(
        503,
        'model_unavailable',
        `the recommend model cannot be loaded: ${(err as Error).message}`,
      );
    }
  }

  private catalogueLists(): Promise<CatalogueLists> {
    this.lists ??= this.ctx.db.read((wh) => loadCatalogueLists(wh));
    // A failed mining is retried by the next request instead of being remembered.
    this.lists.catch(() => (this.lists = undefined));
    return this.lists;
  }
}

const services = new WeakMap<ServerContext, RecommendService>();

/** The one RecommendService of a server (route files share it). */
export function recommendService(ctx: ServerContext): RecommendService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new RecommendService(ctx)));
  return s;
}
