/**
 * @module tasks/recommend/recommender
 * Serving: a loaded bundle answers "for you", "similar items" and "next for this session", applies
 * the business rules, falls back for people and products it has never seen (category popularity,
 * then popularity, flagged `coldStart`), and gives every item a reason in words that describes the
 * model or fallback that produced it.
 *
 * @example
 *   const r = new Recommender(bundle, await loadCatalogue(wh, bundle.itemIds));
 *   r.forUser('12347', 10);        // { coldStart: false, items: [{ productId, score, reason }, ...] }
 *   r.similarItems('85123A', 5);   // neighbours by co-purchase
 *   r.forSession(['A', 'B'], 10);  // an anonymous visitor's just-viewed items
 */
import type { ItemCatalogue } from '../../features/catalogue.js';
import { ItemKnnScorer } from '../../ml/recommend/item-knn.js';
import type { RecommendBundle } from './bundle.js';
import type { ContentSimilar } from './content.js';
import { getRecommender } from './models.js';
import { rankWithRules, type BusinessRules, type CatalogueInfo } from './rules.js';

export interface RecommendedItem {
  readonly rank: number;
  readonly productId: string;
  readonly title: string | null;
  /** The producing model's score (not comparable across models). */
  readonly score: number;
  readonly reason: string;
}

export interface RecommendAnswer {
  /** Which list produced the items: the bundle's model, item-knn, category-popularity or popularity. */
  readonly source: string;
  /** True when the user or item was unknown (or had no usable history) and a fallback answered. */
  readonly coldStart: boolean;
  /** Why a fallback was used, which ids were unknown, or why the list is short. */
  readonly note?: string;
  readonly items: RecommendedItem[];
}

/** How far back a reason looks for "similar to X" (recent items explain best). */
const REASON_LOOKBACK = 50;

function verb(weight: number | undefined): string {
  if (weight === undefined || weight >= 1) return 'bought';
  return weight >= 0.5 ? 'added to your cart' : 'viewed';
}

export class Recommender {
  private readonly scores: Float32Array;
  /** Item -> its slot in the list being explained, -1 elsewhere (closest(); reset after each use). */
  private slot: Int32Array | undefined;
  private readonly info: CatalogueInfo;
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();

  /**
   * @param content text neighbours (TF-IDF over the products table) for products the model never
   *   saw or that share no customer with anything: the first step of the item fallback chain.
   */
  constructor(
    private readonly bundle: RecommendBundle,
    private readonly catalogue: ItemCatalogue,
    private readonly content?: ContentSimilar,
  ) {
    const n = bundle.itemIds.length;
    if (catalogue.items !== n) throw new Error(`catalogue has ${catalogue.items} items, the model ${n}`);
    this.scores = new Float32Array(n);
    this.info = {
      items: n,
      category: bundle.itemCategories,
      categoryNames: bundle.categories,
      price: catalogue.price,
      inStock: catalogue.inStock,
    };
    bundle.userIds.forEach((id, u) => this.userIndex.set(id, u));
    bundle.itemIds.forEach((id, j) => this.itemIndex.set(id, j));
  }

  get model(): string {
    return this.bundle.model;
  }

  get users(): readonly string[] {
    return this.bundle.userIds;
  }

  /** Whether the model has a history for this customer (else forUser answers with popular items). */
  knowsUser(userId: string): boolean {
    return this.userIndex.has(userId);
  }

  /** Whether the model ranks this product (it had interactions when the model was trained). */
  knowsItem(productId: string): boolean {
    return this.itemIndex.has(productId);
  }

  /** Dense indices of the ids the model knows, in order; unknown ids are skipped (boost / bury lists). */
  itemIndices(productIds: readonly string[]): number[] {
    const out: number[] = [];
    for (const id of productIds) {
      const j = this.itemIndex.get(id);
      if (j !== undefined) out.push(j);
    }
    return out;
  }

  /** Personal recommendations for a known customer; popular items (flagged) for an unknown one. */
  forUser(userId: string, k: number, rules: BusinessRules = {}): RecommendAnswer {
    const u = this.userIndex.get(userId);
    if (u === undefined) {
      return this.popular(k, rules, new Int32Array(0), `unknown user '${userId}': popular items instead`);
    }
    const h = this.bundle.history;
    const history = h.itemIds.subarray(h.offsets[u]!, h.offsets[u + 1]!);
    const weights = h.weights?.subarray(h.offsets[u]!, h.offsets[u + 1]!);
    return this.personal(u, history, weights, k, rules);
  }

  /** Next items for an anonymous visitor from what they just viewed (ids in viewing order). */
  forSession(productIds: readonly string[], k: number, rules: BusinessRules = {}): RecommendAnswer {
    const known = productIds.map((id) => this.itemIndex.get(id)).filter((j) => j !== undefined);
    const unknown = productIds.filter((id) => !this.itemIndex.has(id));
    const note = unknown.length ? `unknown products ignored: ${unknown.join(', ')}` : undefined;
    const history = Int32Array.from(known);
    if (!history.length) {
      return this.popular(k, rules, history, note ?? 'empty session: popular items instead');
    }
    const weights = new Float32Array(history.length).fill(0.1);
    const answer = this.personal(-1, history, weights, k, rules);
    return note ? { ...answer, note } : answer;
  }

  /** Items bought by the same customers; for an item without neighbours, popular in its category. */
  similarItems(productId: string, k: number, rules: BusinessRules = {}): RecommendAnswer {
    const j = this.itemIndex.get(productId);
    const self = j === undefined ? new Int32Array(0) : Int32Array.of(j);
    if (j === undefined) {
      const byText = this.byContent(productId, k, rules, `'${productId}' has no interactions yet`);
      if (byText) return byText;
      return this.popular(k, rules, self, `unknown product '${productId}': popular items instead`);
    }
    const { indptr, indices, values } = this.bundle.knn.neighbours;
    const s = this.scores.fill(NaN);
    for (let p = indptr[j]!; p < indptr[j + 1]!; p++) s[indices[p]!] = values[p]!;
    const ranked = rankWithRules(s, k, this.info, { ...rules, excludeHistory: true }, self);
    const title = this.title(j);
    const items = this.items(
      ranked.items,
      ranked.scores,
      () => `often bought by the same customers as ${title}`,
    );
    if (items.length >= k) return { source: 'item-knn', coldStart: false, items };
    if (items.length === 0) {
      const byText = this.byContent(
        productId,
        k,
        rules,
        `no customer bought ${productId} with anything else`,
      );
      if (byText) return byText;
    }
    const why = items.length
      ? `only ${items.length} items share customers with ${productId}; topped up with popular items`
      : `no customer bought ${productId} with anything else: popular items instead`;
    return this.fill(items, k, rules, self, j, why);
  }

  private personal(
    user: number,
    history: Int32Array,
    weights: Float32Array | undefined,
    k: number,
    rules: BusinessRules,
  ): RecommendAnswer {
    this.bundle.main.score(user, history, this.scores);
    const ranked = rankWithRules(this.scores, k, this.info, rules, history);
    // Neighbour reasons for the whole list in one pass over the recent history.
    const closest =
      getRecommender(this.bundle.model).explains === 'neighbours'
        ? this.closest(ranked.items, history)
        : undefined;
    const items = this.items(ranked.items, ranked.scores, (j, r) =>
      this.explain(j, history, weights, closest?.[r] ?? -1),
    );
    const answer: RecommendAnswer = { source: this.bundle.model, coldStart: false, items };
    if (ranked.eligible === 0) return { ...answer, note: 'no item is left to recommend under these rules' };
    return answer;
  }

  /**
   * Products with the most similar text, restricted to ones with sales; the rules' stock, price and
   * category filters apply to products the model knows (others have no catalogue row here).
   */
  private byContent(
    productId: string,
    k: number,
    rules: BusinessRules,
    why: string,
  ): RecommendAnswer | undefined {
    if (!this.content) return undefined;
    const found = this.content.forProduct(productId, k * 3 + 10, { onlySold: true });
    const allowed = rules.categories ? new Set(rules.categories) : undefined;
    const items: RecommendedItem[] = [];
    for (const f of found) {
      const j = this.itemIndex.get(f.productId);
      if (j !== undefined) {
        if ((rules.inStockOnly ?? true) && this.info.inStock[j] === 0) continue;
        const p = this.info.price[j]!;
        if (rules.minPrice !== undefined && !(p >= rules.minPrice)) continue;
        if (rules.maxPrice !== undefined && !(p <= rules.maxPrice)) continue;
        const c = this.info.category[j]!;
        if (allowed && !(c >= 0 && allowed.has(this.info.categoryNames[c]!))) continue;
      }
      items.push({
        rank: items.length + 1,
        productId: f.productId,
        title: f.title,
        score: f.similarity,
        reason: f.reason,
      });
      if (items.length === k) break;
    }
    if (!items.length) return undefined;
    return { source: 'content', coldStart: true, note: `${why}: similar by description`, items };
  }

  /** Popular items, tilted to a category when one is given; always flagged as cold start. */
  private popular(k: number, rules: BusinessRules, exclude: Int32Array, note: string): RecommendAnswer {
    this.bundle.popularity.score(-1, exclude, this.scores);
    const ranked = rankWithRules(this.scores, k, this.info, rules, exclude);
    const items = this.items(ranked.items, ranked.scores, () => 'popular with all customers');
    return { source: 'popularity', coldStart: true, note, items };
  }

  /** Tops a short list up with popular items of the item's category, then popular items. */
  private fill(
    items: RecommendedItem[],
    k: number,
    rules: BusinessRules,
    self: Int32Array,
    j: number,
    note: string,
  ): RecommendAnswer {
    const taken = Int32Array.from([...self, ...items.map((i) => this.itemIndex.get(i.productId)!)]);
    const category = this.bundle.itemCategories[j]!;
    this.bundle.popularity.score(-1, taken, this.scores);
    if (category >= 0) {
      // Same-category items first: lift them above every other item, order kept by popularity.
      let max = 0;
      for (const v of this.scores) if (v > max) max = v;
      for (let i = 0; i < this.scores.length; i++) {
        if (this.bundle.itemCategories[i] === category) this.scores[i]! += max + 1;
      }
    }
    const ranked = rankWithRules(this.scores, k - items.length, this.info, rules, taken);
    const name = category >= 0 ? this.bundle.categories[category] : undefined;
    const more = this.items(ranked.items, ranked.scores, (i) =>
      name && this.bundle.itemCategories[i] === category
        ? `popular in ${name}`
        : 'popular with all customers',
    );
    const all = [...items, ...more].map((it, r) => ({ ...it, rank: r + 1 }));
    return {
      source: items.length ? 'item-knn' : category >= 0 ? 'category-popularity' : 'popularity',
      coldStart: items.length === 0,
      note,
      items: all,
    };
  }

  /**
   * The reason for item j of a personal list, in the terms of the model that scored it (models.ts
   * `explains`): a popularity model never says "similar to", a neighbour model names the history
   * item most similar to j (`best`: its position in the history, from closest()), a sequence model
   * the item it follows.
   */
  private explain(j: number, history: Int32Array, weights: Float32Array | undefined, best: number): string {
    const model = this.bundle.model;
    switch (getRecommender(model).explains) {
      case 'popular':
        return 'popular with all customers';
      case 'recent':
        return 'popular with customers lately';
      case 'category': {
        // The model lifts the categories in the history; an item outside them came from plain popularity.
        const cats = this.bundle.itemCategories;
        const c = cats[j]!;
        const yours = c >= 0 && history.some((h) => cats[h] === c);
        return yours
          ? `popular in ${this.bundle.categories[c]}, a category you buy`
          : 'popular with all customers';
      }
      case 'neighbours': {
        if (best >= 0) return `similar to ${this.title(history[best]!)} you ${verb(weights?.[best])}`;
        return `picked by ${model} from your last ${Math.min(history.length, REASON_LOOKBACK)} items`;
      }
      case 'sequence': {
        const last = history.length - 1;
        return `often next after ${this.title(history[last]!)}, the last item you ${verb(weights?.[last])} (${model})`;
      }
      default:
        return `picked by ${model} from your last ${Math.min(history.length, REASON_LOOKBACK)} items`;
    }
  }

  /**
   * For each listed item, the position in the recent history of the item most similar to it in the
   * neighbour table (the most recent one on a tie), or -1. One pass over the recent history's
   * neighbour rows serves the whole list (a scan per listed item cost 10x more on Online Retail).
   */
  private closest(listed: Int32Array, history: Int32Array): Int32Array {
    const main = this.bundle.main;
    const { indptr, indices, values } = (main instanceof ItemKnnScorer ? main : this.bundle.knn).neighbours;
    const slot = (this.slot ??= new Int32Array(this.scores.length).fill(-1));
    listed.forEach((j, r) => (slot[j] = r));
    const best = new Int32Array(listed.length).fill(-1);
    const bestSim = new Float64Array(listed.length);
    const from = Math.max(0, history.length - REASON_LOOKBACK);
    for (let t = history.length - 1; t >= from; t--) {
      const h = history[t]!;
      for (let p = indptr[h]!; p < indptr[h + 1]!; p++) {
        const r = slot[indices[p]!]!;
        if (r >= 0 && values[p]! > bestSim[r]!) {
          bestSim[r] = values[p]!;
          best[r] = t;
        }
      }
    }
    for (const j of listed) slot[j] = -1;
    return best;
  }

  private title(j: number): string {
    const t = this.catalogue.titles[j];
    return t ? `"${t}"` : this.bundle.itemIds[j]!;
  }

  private items(
    items: Int32Array,
    scores: Float32Array,
    reason: (j: number, r: number) => string,
  ): RecommendedItem[] {
    return Array.from(items, (j, r) => ({
      rank: r + 1,
      productId: this.bundle.itemIds[j]!,
      title: this.catalogue.titles[j] ?? null,
      score: scores[r]!,
      reason: reason(j, r),
    }));
  }
}
