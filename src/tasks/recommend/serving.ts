/**
 * @module tasks/recommend/serving
 * Everything a recommendation surface answers from, loaded in one place so `shopsight recommend`
 * and the HTTP API give the same lists: the promoted (or a given) bundle with its catalogue
 * (titles, prices, stock), text neighbours for products the model never saw, "bought together"
 * rules mined from the orders, and the set of every product id in the catalogue (an id outside it
 * is a caller's mistake, not a cold start). The merchant's business rules arrive as plain options
 * (what a command line or a query string holds) and become `BusinessRules` here.
 *
 * Loading (registry/recommend-serving.ts finds the stored model) reads the warehouse and mines baskets (about a second on Online Retail); answering reads
 * only memory, so a server loads once per model version and answers in well under a millisecond.
 *
 * @example
 *   const s = await loadRecommendServing(wh);             // registry/recommend-serving.ts
 *   const rules = businessRules(s.recommender, { maxPerCategory: 2, bury: ['85123A'] });
 *   s.recommender.forUser('12347', 10, rules);            // RecommendAnswer
 *   s.together.answer('22697', 5, { minPrice: 1 });       // frequently bought together
 */
import { loadBaskets } from '../../features/baskets.js';
import { loadCatalogue, loadProductIds, type ItemCatalogue } from '../../features/catalogue.js';
import { loadProductText } from '../../features/product-text.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import type { ModelRecord } from '../../schema/models.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { BoughtTogether } from './bought-together.js';
import { bundleFromArtifact } from './bundle.js';
import { ContentSimilar } from './content.js';
import { Recommender, type RecommendAnswer, type RecommendedItem } from './recommender.js';
import type { BusinessRules } from './rules.js';

/** The business rules as a person states them: flags, names and product ids (not dense indices). */
export interface RuleOptions {
  /** Allow items the customer already has (default false: they are left out). */
  readonly includeBought?: boolean;
  /** Allow items marked out of stock (default false). */
  readonly includeOutOfStock?: boolean;
  /** Only these category names. */
  readonly categories?: readonly string[];
  readonly minPrice?: number;
  readonly maxPrice?: number;
  /** Diversity: at most this many items of one category. */
  readonly maxPerCategory?: number;
  /** Product ids to push up / down; ids the model does not know are ignored. */
  readonly boost?: readonly string[];
  readonly bury?: readonly string[];
}

/** `RuleOptions` in the recommender's terms (boost and bury ids become its item indices). */
export function businessRules(recommender: Recommender, o: RuleOptions): BusinessRules {
  return {
    excludeHistory: !o.includeBought,
    inStockOnly: !o.includeOutOfStock,
    ...(o.categories?.length ? { categories: o.categories } : {}),
    ...(o.minPrice !== undefined ? { minPrice: o.minPrice } : {}),
    ...(o.maxPrice !== undefined ? { maxPrice: o.maxPrice } : {}),
    ...(o.maxPerCategory ? { maxPerCategory: o.maxPerCategory } : {}),
    boost: recommender.itemIndices(o.boost ?? []),
    bury: recommender.itemIndices(o.bury ?? []),
  };
}

/**
 * "Frequently bought together" as a `RecommendAnswer`, with the rules' filters applied: stock, price
 * and category (read from the products table when mined). Boost, bury, the diversity cap and
 * include-bought do not apply: the list is a product page's companions, ordered by the evidence.
 */
export class TogetherLists {
  private readonly row: Map<string, number>;

  constructor(
    private readonly bought: BoughtTogether,
    private readonly catalogue: ItemCatalogue,
    /** Category per basket product (parallel to bought.data.productIds). */
    private readonly category: readonly (string | null)[],
  ) {
    this.row = new Map(bought.data.productIds.map((id, i) => [id, i]));
  }

  /** Mined from the orders as they are now: no trained model needed. */
  static async fit(wh: Warehouse): Promise<TogetherLists> {
    const data = await loadBaskets(wh);
    const text = await loadProductText(wh);
    return TogetherLists.from(wh, await BoughtTogether.fromBasketsOffThread(data, titlesOf(text)), text);
  }

  static async from(
    wh: Warehouse,
    bought: BoughtTogether,
    text: { productIds: string[]; category: (string | null)[] },
  ): Promise<TogetherLists> {
    const ids = bought.data.productIds;
    const textRow = new Map(text.productIds.map((id, i) => [id, i]));
    const category = ids.map((id) => {
      const i = textRow.get(id);
      return i === undefined ? null : (text.category[i] ?? null);
    });
    return new TogetherLists(bought, await loadCatalogue(wh, ids), category);
  }

  answer(productId: string, k: number, rules: RuleOptions = {}): RecommendAnswer {
    const allowed = rules.categories?.length ? new Set(rules.categories) : undefined;
    const filtered = Boolean(
      !rules.includeOutOfStock || allowed || rules.minPrice !== undefined || rules.maxPrice !== undefined,
    );
    // Ask for more than k when filters may drop some (the candidates are cheap: a product's rules).
    const related = this.bought.forProduct(productId, filtered ? k * 4 + 20 : k);
    const items: RecommendedItem[] = [];
    for (const r of related) {
      const i = this.row.get(r.productId)!;
      if (!rules.includeOutOfStock && this.catalogue.inStock[i] === 0) continue;
      const p = this.catalogue.price[i]!;
      if (rules.minPrice !== undefined && !(p >= rules.minPrice)) continue;
      if (rules.maxPrice !== undefined && !(p <= rules.maxPrice)) continue;
      if (allowed && !allowed.has(this.category[i] ?? '')) continue;
      items.push({
        rank: items.length + 1,
        productId: r.productId,
        title: r.title,
        score: r.lift ?? r.orders,
        reason: r.reason,
      });
      if (items.length === k) break;
    }
    const note = related.length
      ? items.length
        ? undefined
        : `no product bought with ${productId} is left under these rules`
      : `no orders hold ${productId} with another product often enough`;
    return { source: 'bought-together', coldStart: false, ...(note ? { note } : {}), items };
  }
}

export interface RecommendServing {
  /** The model answering (modelId `recommend@N`, version N). */
  readonly record: ModelRecord;
  readonly recommender: Recommender;
  readonly together: TogetherLists;
  /** Every product id in the catalogue: an id outside it does not exist in this store. */
  readonly products: ReadonlySet<string>;
}

function titlesOf(text: { productIds: string[]; title: (string | null)[] }): Map<string, string | null> {
  return new Map(text.productIds.map((id, i) => [id, text.title[i] ?? null]));
}

/** A stored recommend model (its record and decoded artifact) with its catalogue and text neighbours. */
export async function recommenderFrom(
  wh: Warehouse,
  record: ModelRecord,
  artifact: ModelArtifact,
  options: { content?: boolean } = {},
): Promise<{ record: ModelRecord; recommender: Recommender }> {
  const bundle = bundleFromArtifact(artifact);
  const content = options.content === false ? undefined : await ContentSimilar.fit(wh);
  return { record, recommender: new Recommender(bundle, await loadCatalogue(wh, bundle.itemIds), content) };
}

/**
 * What the answers need beyond the model, the same for every version: text neighbours (the cold
 * start for products), bought-together rules, every catalogue product id. Mining them is the
 * expensive part of loading (seconds of CPU on Online Retail), so a server builds them once and
 * shares them between the versions it serves (an A/B split, a hot swap).
 */
export interface CatalogueLists {
  readonly content: ContentSimilar;
  readonly together: TogetherLists;
  readonly products: ReadonlySet<string>;
}

export async function loadCatalogueLists(wh: Warehouse): Promise<CatalogueLists> {
  // Baskets and product text are read once and shared by the text neighbours and the rules.
  const baskets = await loadBaskets(wh);
  const text = await loadProductText(wh);
  const content = ContentSimilar.fromText(text, baskets.productIds);
  // The rule mining (seconds of CPU on Online Retail) runs on a worker thread.
  const mined = await BoughtTogether.fromBasketsOffThread(baskets, titlesOf(text));
  const together = await TogetherLists.from(wh, mined, text);
  return { content, together, products: new Set(await loadProductIds(wh)) };
}

/** Everything the four recommendation answers need, for one stored model. */
export async function servingFrom(
  wh: Warehouse,
  record: ModelRecord,
  artifact: ModelArtifact,
  lists: CatalogueLists,
): Promise<RecommendServing> {
  const bundle = bundleFromArtifact(artifact);
  const catalogue = await loadCatalogue(wh, bundle.itemIds);
  const recommender = new Recommender(bundle, catalogue, lists.content);
  return { record, recommender, together: lists.together, products: lists.products };
}
