/**
 * @module server/recommend-service
 * The recommendation routes' state in one server: which model version answers whom (the promoted
 * one, or the visitor's variant of the A/B split in force), the version-independent lists mined
 * once, and the impression buffer. Answers read only memory: models come through ctx.models
 * (loaded once per version, hot-swapped on promote), impressions are written in batches. On a
 * ClickHouse cluster the model and catalogue come from the cluster (the registry and features choose
 * their SQL by engine); no split is in force and no impression is kept there yet.
 */
import { assignVariant, checkSplit, type SplitVariant } from '../tasks/recommend/ab-split.js';
import { AnswerCache } from '../tasks/recommend/answer-cache.js';
import { ImpressionBuffer, type Impression } from '../tasks/recommend/impression-buffer.js';
import type { RecommendAnswer } from '../tasks/recommend/recommender.js';
import {
  businessRules,
  loadCatalogueLists,
  servingFrom,
  type CatalogueLists,
  type RecommendServing,
} from '../tasks/recommend/serving.js';
import { deleteSplit, writeSplit, type StoredSplit } from '../warehouse/ab-store.js';
import { insertImpressions } from '../warehouse/impressions-store.js';
import type { ServerContext } from './context.js';
import { splitOn } from './engine-reads.js';
import { HttpError, httpError } from './errors.js';
import type { Loaded, LoadFn } from './model-cache.js';

export const RECOMMEND_TASK = 'recommend';

/** The rules key of a request with no rule parameters and the default length (see rulesKeyOf). */
export const DEFAULT_RULES_KEY = rulesKeyOf({});

/** A stable key for a request's length and rule parameters (absent ones at their defaults). */
export function rulesKeyOf(q: Record<string, unknown>): string {
  const f = (name: string): string => (q[name] === undefined ? '' : String(q[name]));
  return [
    q['k'] ?? 10,
    f('include_bought'),
    f('include_out_of_stock'),
    f('category'),
    f('min_price'),
    f('max_price'),
    f('max_per_category'),
    f('boost'),
    f('bury'),
  ].join('|');
}

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
    const serving = await db.read((wh) => servingFrom(wh, record, artifact, lists));
    this.warmDefaultAnswers(serving);
    return serving;
  };
  /** Kept answers per loaded version (tasks/recommend/answer-cache.ts): exact, bounded. */
  private readonly answers = new WeakMap<RecommendServing, AnswerCache>();
  private closed = false;

  constructor(private readonly ctx: ServerContext) {
    this.impressions = new ImpressionBuffer(
      (rows) => ctx.db.write((wh) => insertImpressions(wh, rows), 'serving'),
      {
        onError: (err, rows) =>
          ctx.log.warn({ err, rows }, 'impressions not written; kept for the next flush'),
      },
    );
    this.impressions.start();
    ctx.onClose(() => {
      this.closed = true;
      return this.impressions.close();
    });
  }

  /**
   * A customer's list through the version's answer cache. `rulesKey` names the request's rules and
   * length (the same key for the same query), so a kept answer is the one scoring would give.
   */
  forUser(
    serving: RecommendServing,
    userId: string,
    rulesKey: string,
    compute: () => RecommendAnswer,
  ): RecommendAnswer {
    return this.cacheOf(serving).through(`${userId}\u0000${rulesKey}`, compute);
  }

  private cacheOf(serving: RecommendServing): AnswerCache {
    let cache = this.answers.get(serving);
    if (!cache) this.answers.set(serving, (cache = new AnswerCache()));
    return cache;
  }

  /**
   * Scores every known customer's default list (k 10, no rules) in the background, in slices that
   * let requests through: the storefront's common request is then a lookup from the first minutes.
   */
  private warmDefaultAnswers(serving: RecommendServing): void {
    const r = serving.recommender;
    const rules = businessRules(r, {});
    const key = DEFAULT_RULES_KEY;
    const t0 = performance.now();
    void this.cacheOf(serving)
      .warm(
        (function* () {
          for (const u of r.users) yield `${u}\u0000${key}`;
        })(),
        (k) => r.forUser(k.slice(0, k.indexOf('\u0000')), 10, rules),
        { stop: () => this.closed },
      )
      .then(
        (n) =>
          this.ctx.log.info(
            { model: serving.record.modelId, answers: n, ms: Math.round(performance.now() - t0) },
            'recommendation answers warmed',
          ),
        (err: unknown) => this.ctx.log.warn({ err }, 'warming recommendation answers failed'),
      );
  }

  /** The model serving this visitor: their variant's version when a split is in force, else the promoted one. */
  async servingFor(visitor: Visitor): Promise<Served> {
    const split = await this.split();
    const id = visitor.customerId ?? visitor.anonymousId;
    const variant = split && id !== undefined ? assignVariant(RECOMMEND_TASK, split, id) : undefined;
    const loaded = await this.load(variant?.version);
    return { serving: loaded.value, version: loaded.version, variant };
  }

  /**
   * Keeps an impression for the next batch write. A cluster holds no `impressions` table yet: on
   * ClickHouse none is kept (CTR and attribution run on DuckDB only, docs/clickhouse.md).
   */
  record(impression: Omit<Impression, 'task' | 'servedAt'>): void {
    if (this.ctx.clickhouse) return;
    this.impressions.add({ ...impression, task: RECOMMEND_TASK, servedAt: new Date() });
  }

  split(): Promise<StoredSplit | undefined> {
    this.current ??= this.ctx.db.read((wh) => splitOn(wh, RECOMMEND_TASK));
    return this.current;
  }

  /** Checks the split, loads every variant's version, then stores it and serves by it. */
  async startSplit(variants: readonly { version: number; share: number }[]): Promise<StoredSplit> {
    const split = checkSplit({ variants });
    for (const [i, v] of split.variants.entries()) {
      await this.load(v.version, `body/variants/${i}/version`);
    }
    const stored = await this.ctx.db.write((wh) => writeSplit(wh, RECOMMEND_TASK, split.variants), 'serving');
    this.current = Promise.resolve(stored);
    return stored;
  }

  async endSplit(): Promise<boolean> {
    const ended = await this.ctx.db.write((wh) => deleteSplit(wh, RECOMMEND_TASK), 'serving');
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
