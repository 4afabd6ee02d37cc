/**
 * @module tasks/recommend/bought-together
 * "Frequently bought together" for a product page, from association rules over sales orders:
 *   1. rules {P} => {Y}, by lift (then confidence), or by confidence with `rankBy: 'confidence'`;
 *   2. rules {P, Z} => {Y} for Y not yet listed, by lift;
 *   3. products that merely shared orders with P, most orders first, when rules run out (a product
 *      below the support threshold has no rules, but can still have a few co-purchases).
 * Each entry says why, with the evidence a merchant can check: the order count and the lift.
 *
 * @example
 *   const bt = await BoughtTogether.fit(wh); // Online Retail
 *   bt.forProduct('22697', 3)[0];
 *   // { productId: '22698', title: 'PINK REGENCY TEACUP AND SAUCER', source: 'rule', orders: 632,
 *   //   lift: 16.13, confidence: 0.62,
 *   //   reason: 'bought together with GREEN REGENCY TEACUP AND SAUCER in 632 orders (lift 16.1)' }
 */
import { loadBaskets, type BasketData, type BasketOptions } from '../../features/baskets.js';
import { loadProductText } from '../../features/product-text.js';
import { CoOccurrence } from '../../ml/basket/co-occurrence.js';
import { fpGrowth, type FpGrowthOptions } from '../../ml/basket/fpgrowth.js';
import { mineRulesOffThread } from '../../ml/basket/mine-off-thread.js';
import { associationRules, type AssociationRules, type RuleOptions } from '../../ml/basket/rules.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface BoughtTogetherOptions extends BasketOptions {
  /** Minimum support of a rule's itemset, as a fraction of orders. Default 0.003 (60 of Online Retail's 19,773 baskets). */
  readonly minSupport?: number;
  /** Minimum support as an order count; replaces minSupport when given. */
  readonly minCount?: number;
  /** Default 0.1: Y is in at least 1 in 10 of the orders that hold the left side. */
  readonly minConfidence?: number;
  /** Default 1: only rules where Y is more likely with P than without. */
  readonly minLift?: number;
  /** Longest itemset mined. Default 3: left sides of one or two products. */
  readonly maxLength?: number;
  /** Orders in common a co-purchase fallback needs. Default 2 (one shared order is anecdote). */
  readonly minPairCount?: number;
  /**
   * Order of the rules in a list. 'lift' (default): the strongest association first, which favours
   * specific companions (a matching saucer). 'confidence': the most likely co-purchase first, which
   * favours popular companions and finds more of what the next order holds (see docs/basket-rules.md,
   * hold-out), but says less about the product itself.
   */
  readonly rankBy?: 'lift' | 'confidence';
}

export interface RelatedProduct {
  readonly productId: string;
  readonly title: string | null;
  /** 'rule' for an association rule, 'co-occurrence' for the plain shared-order fallback. */
  readonly source: 'rule' | 'co-occurrence';
  /** Orders holding the left side and this product. */
  readonly orders: number;
  readonly lift: number | null;
  readonly confidence: number | null;
  readonly reason: string;
}

export class BoughtTogether {
  private readonly itemOf: Map<string, number>;
  /** Per item, the rules whose left side holds it, in lift order: ruleIds[ruleStart[i] .. ruleStart[i+1]). */
  private readonly ruleStart: Int32Array;
  private readonly ruleIds: Int32Array;

  private constructor(
    readonly data: BasketData,
    readonly rules: AssociationRules,
    private readonly titles: ReadonlyMap<string, string | null>,
    private readonly co: CoOccurrence,
    private readonly minPairCount: number,
    rankBy: 'lift' | 'confidence',
  ) {
    this.itemOf = new Map(data.productIds.map((id, i) => [id, i]));
    const items = data.baskets.items;
    this.ruleStart = new Int32Array(items + 1);
    const { antecedentOffsets: off, antecedentItems: lhs } = rules;
    for (let k = 0; k < lhs.length; k++) this.ruleStart[lhs[k]! + 1]!++;
    for (let i = 0; i < items; i++) this.ruleStart[i + 1]! += this.ruleStart[i]!;
    const fill = this.ruleStart.slice(0, items);
    this.ruleIds = new Int32Array(lhs.length);
    // Rules arrive sorted by lift, so each item's list is sorted by lift too.
    for (let r = 0; r < rules.count; r++) {
      for (let k = off[r]!; k < off[r + 1]!; k++) this.ruleIds[fill[lhs[k]!]!++] = r;
    }
    if (rankBy === 'confidence') {
      // Re-sort each item's list; the sort is stable, so equal confidences stay in lift order.
      for (let i = 0; i < items; i++) {
        this.ruleIds
          .subarray(this.ruleStart[i]!, this.ruleStart[i + 1]!)
          .sort((a, b) => rules.confidence[b]! - rules.confidence[a]!);
      }
    }
  }

  /** Mines the warehouse's sales orders (before `cutoff`, if given). */
  static async fit(wh: Warehouse, options: BoughtTogetherOptions = {}): Promise<BoughtTogether> {
    const data = await loadBaskets(wh, options);
    const text = await loadProductText(wh);
    const titles = new Map(text.productIds.map((id, i) => [id, text.title[i] ?? null]));
    return BoughtTogether.fromBaskets(data, titles, options);
  }

  static fromBaskets(
    data: BasketData,
    titles: ReadonlyMap<string, string | null>,
    options: BoughtTogetherOptions = {},
  ): BoughtTogether {
    const m = miningOptions(options);
    return BoughtTogether.fromRules(
      data,
      associationRules(fpGrowth(data.baskets, m.itemsets), m.rules),
      titles,
      options,
    );
  }

  /** As fromBaskets, with the mining on a worker thread (a server keeps answering meanwhile). */
  static async fromBasketsOffThread(
    data: BasketData,
    titles: ReadonlyMap<string, string | null>,
    options: BoughtTogetherOptions = {},
  ): Promise<BoughtTogether> {
    const m = miningOptions(options);
    const rules = await mineRulesOffThread(data.baskets, m.itemsets, m.rules);
    return BoughtTogether.fromRules(data, rules, titles, options);
  }

  private static fromRules(
    data: BasketData,
    rules: AssociationRules,
    titles: ReadonlyMap<string, string | null>,
    options: BoughtTogetherOptions,
  ): BoughtTogether {
    return new BoughtTogether(
      data,
      rules,
      titles,
      new CoOccurrence(data.baskets),
      options.minPairCount ?? 2,
      options.rankBy ?? 'lift',
    );
  }

  /** Up to k products bought with `productId`, best first; [] for a product with no sales orders. */
  forProduct(productId: string, k = 10): RelatedProduct[] {
    const item = this.itemOf.get(productId);
    if (item === undefined || k <= 0) return [];
    const out: RelatedProduct[] = [];
    const listed = new Set<number>([item]);
    const r = this.rules;
    const name = this.name(item);
    for (const single of [true, false]) {
      for (let a: number = this.ruleStart[item]!; a < this.ruleStart[item + 1]! && out.length < k; a++) {
        const rule: number = this.ruleIds[a]!;
        const from: number = r.antecedentOffsets[rule]!;
        const to: number = r.antecedentOffsets[rule + 1]!;
        if ((to - from === 1) !== single) continue;
        const y = r.consequentItems[r.consequentOffsets[rule]!]!;
        if (listed.has(y)) continue;
        listed.add(y);
        const others: string[] = [];
        for (let j: number = from; j < to; j++)
          if (r.antecedentItems[j] !== item) others.push(this.name(r.antecedentItems[j]!));
        const n = r.jointCount[rule]!;
        out.push({
          ...this.product(y),
          source: 'rule',
          orders: n,
          lift: r.lift[rule]!,
          confidence: r.confidence[rule]!,
          reason: `bought together with ${[name, ...others].join(' and ')} in ${orders(n)} (lift ${r.lift[rule]!.toFixed(1)})`,
        });
      }
    }
    if (out.length < k) {
      const pairs = this.co.top(item, k + listed.size, this.minPairCount);
      for (let i = 0; i < pairs.items.length && out.length < k; i++) {
        const y = pairs.items[i]!;
        if (listed.has(y)) continue;
        listed.add(y);
        out.push({
          ...this.product(y),
          source: 'co-occurrence',
          orders: pairs.counts[i]!,
          lift: null,
          confidence: null,
          reason: `bought together with ${name} in ${orders(pairs.counts[i]!)}`,
        });
      }
    }
    return out;
  }

  private product(item: number): { productId: string; title: string | null } {
    const productId = this.data.productIds[item]!;
    return { productId, title: this.titles.get(productId) ?? null };
  }

  private name(item: number): string {
    const id = this.data.productIds[item]!;
    return this.titles.get(id) ?? id;
  }
}

function miningOptions(options: BoughtTogetherOptions): { itemsets: FpGrowthOptions; rules: RuleOptions } {
  return {
    itemsets: {
      minCount: options.minCount,
      minSupport: options.minSupport ?? 0.003,
      maxLength: options.maxLength ?? 3,
    },
    rules: { minConfidence: options.minConfidence ?? 0.1, minLift: options.minLift ?? 1 },
  };
}

function orders(n: number): string {
  return n === 1 ? '1 order' : `${n} orders`;
}
