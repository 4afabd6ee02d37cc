/**
 * @module tasks/reviews/insight
 * What a merchant reads from the scored reviews of a product, a category or the whole store
 * (issue 12, "Insight"), computed from the stored scores (review_scores), never from text models:
 *
 *   - sentiment: reviews, positive and negative (the stored model's label), negative share, stars;
 *   - months: the same per calendar month (UTC) of the review's date;
 *   - aspects: the most mentioned aspects with positive and negative mentions and example
 *     sentences of each polarity (the sentence of the review that names the aspect, newest first);
 *   - turned negative: aspects mostly negative in the month looked at (more than half of at least
 *     `minMentions` mentions) that were not mostly negative over the three months before it
 *     (at most half of their mentions, or no mention);
 *   - rising products: products whose share of negative reviews in the month is above the three
 *     months before it by the project's two-proportion z-test (ml/metrics/proportions.ts) at the
 *     stated alpha, two-sided: verdict "higher" needs p < alpha, at least `minCount` negative and
 *     `minCount` other reviews in each period (the normal approximation), and a rise at least the
 *     minimum detectable effect at 80% power; otherwise the verdict says why not.
 *
 * The month looked at is the one asked for, else the latest month with a dated scored review.
 *
 * @example
 *   const i = reviewInsight(await readScoredReviews(wh, { productId: 'P1' }), { scope: { productId: 'P1' } });
 *   i.negativeShare; i.aspects[0]; // { aspect: '尺码', reviews: 12, negative: 9, examples: {...} }
 */
import { twoProportionTest } from '../../ml/metrics/proportions.js';
import type { ScoredReviews } from '../../warehouse/review-scores-store.js';

export interface InsightOptions {
  readonly scope: { readonly productId?: string; readonly category?: string };
  /** 'YYYY-MM': the month compared with the three before it (default: the latest with reviews). */
  readonly month?: string;
  /** Significance level of the rising-products test (two-sided); default 0.05. */
  readonly alpha?: number;
  /** Aspects listed, most mentioned first; default 10. */
  readonly topAspects?: number;
  /** Example sentences per aspect and polarity; default 2. */
  readonly examples?: number;
  /** Mentions in the month an aspect needs to be called turned negative; default 3. */
  readonly minMentions?: number;
  /** Fewest negative and other reviews per period for the z-test; default 5. */
  readonly minCount?: number;
}

export interface SentimentCounts {
  readonly reviews: number;
  readonly positive: number;
  readonly negative: number;
  /** negative / reviews (null without reviews). */
  readonly negativeShare: number | null;
}

export interface AspectInsight {
  readonly aspect: string;
  /** Reviews naming the aspect. */
  readonly reviews: number;
  readonly positive: number;
  readonly negative: number;
  readonly negativeShare: number;
  readonly examples: { readonly positive: string[]; readonly negative: string[] };
}

export interface TurnedNegative {
  readonly aspect: string;
  readonly month: { readonly mentions: number; readonly negative: number; readonly negativeShare: number };
  readonly before: {
    readonly mentions: number;
    readonly negative: number;
    readonly negativeShare: number | null;
  };
}

export interface NegativeTrend {
  readonly productId: string;
  readonly title: string | null;
  readonly month: SentimentCounts;
  readonly before: SentimentCounts;
  /** Negative share in the month minus the three months before (null when a period has none). */
  readonly difference: number | null;
  readonly pValue: number | null;
  readonly verdict: 'higher' | 'lower' | 'no_significant_difference' | 'too_small';
  readonly reason: string;
}

export interface ReviewInsight {
  readonly scope: { readonly productId?: string; readonly category?: string };
  /** Reviews with text in the scope. */
  readonly reviews: number;
  /** With a stored score: scored (a label), cannot be scored (a reason), not scored yet. */
  readonly scored: number;
  readonly cannotScore: number;
  readonly unscored: number;
  /** Model ids of the stored scores, with how many reviews each scored. */
  readonly models: Record<string, number>;
  readonly sentiment: SentimentCounts;
  /** Mean stars of the scored reviews that have stars (null: none). */
  readonly averageRating: number | null;
  readonly months: ({ readonly month: string } & SentimentCounts)[];
  readonly aspects: AspectInsight[];
  readonly comparison: {
    /** The month looked at and the three before it (null: no dated review). */
    readonly month: string | null;
    readonly before: string[];
    readonly alpha: number;
    readonly turnedNegative: TurnedNegative[];
    /** Every product with reviews in the month or before, rising ones first (by p-value). */
    readonly products: NegativeTrend[];
    /** Products whose negative share rose significantly (verdict 'higher'). */
    readonly rising: string[];
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' of an epoch millisecond (UTC). */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The n months before 'YYYY-MM', oldest first. */
export function monthsBefore(month: string, n: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let k = n; k >= 1; k--) {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

const counts = (reviews: number, negative: number): SentimentCounts => ({
  reviews,
  positive: reviews - negative,
  negative,
  negativeShare: reviews ? negative / reviews : null,
});

/** The sentence (split at 。！？!?；; new lines and ". ") of a text that names the aspect. */
export function sentenceWith(text: string, aspect: string, maxLength = 200): string | null {
  for (const raw of text.split(/[。！？!?；;\n]+|\.\s+/u)) {
    const s = raw.trim();
    if (s && s.normalize('NFKC').toLowerCase().includes(aspect)) {
      return s.length > maxLength ? `${s.slice(0, maxLength - 1)}…` : s;
    }
  }
  return null;
}

interface StoredAspect {
  readonly aspect: string;
  readonly polarity: number;
}

export function reviewInsight(r: ScoredReviews, options: InsightOptions): ReviewInsight {
  const alpha = options.alpha ?? 0.05;
  const topAspects = options.topAspects ?? 10;
  const nExamples = options.examples ?? 2;
  const minMentions = options.minMentions ?? 3;
  const minCount = options.minCount ?? 5;
  if (options.month !== undefined && !MONTH.test(options.month))
    throw new RangeError(`month: expected YYYY-MM, got '${options.month}'`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha: must be in (0, 1), got ${alpha}`);

  const models: Record<string, number> = {};
  let scored = 0;
  let cannotScore = 0;
  let negative = 0;
  let ratingSum = 0;
  let ratingN = 0;
  // Scored reviews' indices (a label), newest last (the reader orders by time).
  const labelled: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const model = r.modelId[i];
    if (model === null || model === undefined) continue;
    models[model] = (models[model] ?? 0) + 1;
    if (Number.isNaN(r.probability[i]!)) {
      cannotScore++;
      continue;
    }
    scored++;
    labelled.push(i);
    if (r.probability[i]! < 0.5) negative++;
    if (!Number.isNaN(r.rating[i]!)) {
      ratingSum += r.rating[i]!;
      ratingN++;
    }
  }
  const isNegative = (i: number): boolean => r.probability[i]! < 0.5;

  // Months.
  const byMonth = new Map<string, { reviews: number; negative: number }>();
  for (const i of labelled) {
    if (Number.isNaN(r.createdAt[i]!)) continue;
    const m = monthOf(r.createdAt[i]!);
    const c = byMonth.get(m) ?? { reviews: 0, negative: 0 };
    c.reviews++;
    if (isNegative(i)) c.negative++;
    byMonth.set(m, c);
  }
  const months = [...byMonth.keys()].sort().map((month) => {
    const c = byMonth.get(month)!;
    return { month, ...counts(c.reviews, c.negative) };
  });

  // Aspects, with the month of each mention for the comparison.
  const parsed = new Map<number, StoredAspect[]>();
  for (const i of labelled) {
    const json = r.aspects[i];
    parsed.set(i, json ? (JSON.parse(json) as StoredAspect[]) : []);
  }
  const aspectCounts = new Map<string, { reviews: number; positive: number; negative: number }>();
  for (const i of labelled) {
    const seen = new Set<string>();
    for (const a of parsed.get(i)!) {
      const c = aspectCounts.get(a.aspect) ?? { reviews: 0, positive: 0, negative: 0 };
      if (!seen.has(a.aspect)) c.reviews++;
      seen.add(a.aspect);
      if (a.polarity > 0) c.positive++;
      else c.negative++;
      aspectCounts.set(a.aspect, c);
    }
  }
  const top = [...aspectCounts]
    .sort((a, b) => b[1].reviews - a[1].reviews || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, topAspects);
  const aspects: AspectInsight[] = top.map(([aspect, c]) => {
    const examples = { positive: [] as string[], negative: [] as string[] };
    for (let k = labelled.length - 1; k >= 0; k--) {
      const i = labelled[k]!;
      for (const a of parsed.get(i)!) {
        if (a.aspect !== aspect) continue;
        const list = a.polarity > 0 ? examples.positive : examples.negative;
        if (list.length >= nExamples) continue;
        const s = sentenceWith(r.text[i]!, aspect);
        if (s && !list.includes(s)) list.push(s);
      }
      if (examples.positive.length >= nExamples && examples.negative.length >= nExamples) break;
    }
    const mentions = c.positive + c.negative;
    return { aspect, ...c, negativeShare: mentions ? c.negative / mentions : 0, examples };
  });

  // The month compared with the three before it.
  const month = options.month ?? (months.length ? months[months.length - 1]!.month : null);
  const before = month ? monthsBefore(month, 3) : [];
  const period = (i: number): 'month' | 'before' | null => {
    if (!month || Number.isNaN(r.createdAt[i]!)) return null;
    const m = monthOf(r.createdAt[i]!);
    return m === month ? 'month' : before.includes(m) ? 'before' : null;
  };
  const turnedNegative: TurnedNegative[] = [];
  const products: NegativeTrend[] = [];
  if (month) {
    const mentionCounts = new Map<string, { month: [number, number]; before: [number, number] }>();
    const productCounts = new Map<string, { month: [number, number]; before: [number, number] }>();
    const titles = new Map<string, string | null>();
    for (const i of labelled) {
      const p = period(i);
      if (!p) continue;
      for (const a of parsed.get(i)!) {
        const c = mentionCounts.get(a.aspect) ?? { month: [0, 0], before: [0, 0] };
        c[p][0]++;
        if (a.polarity < 0) c[p][1]++;
        mentionCounts.set(a.aspect, c);
      }
      const id = r.productId[i];
      if (id === null || id === undefined) continue;
      titles.set(id, r.title[i] ?? null);
      const c = productCounts.get(id) ?? { month: [0, 0], before: [0, 0] };
      c[p][0]++;
      if (isNegative(i)) c[p][1]++;
      productCounts.set(id, c);
    }
    for (const [aspect, c] of mentionCounts) {
      const [n, neg] = c.month;
      const [n0, neg0] = c.before;
      if (n < minMentions || neg / n <= 0.5) continue;
      if (n0 > 0 && neg0 / n0 > 0.5) continue;
      turnedNegative.push({
        aspect,
        month: { mentions: n, negative: neg, negativeShare: neg / n },
        before: { mentions: n0, negative: neg0, negativeShare: n0 ? neg0 / n0 : null },
      });
    }
    turnedNegative.sort(
      (a, b) =>
        b.month.negative - a.month.negative || (a.aspect < b.aspect ? -1 : a.aspect > b.aspect ? 1 : 0),
    );
    for (const [productId, c] of productCounts) {
      const t = twoProportionTest(
        { successes: c.before[1], trials: c.before[0] },
        { successes: c.month[1], trials: c.month[0] },
        { alpha, minCount },
      );
      const verdict = t.verdict === 'b_better' ? 'higher' : t.verdict === 'a_better' ? 'lower' : t.verdict;
      products.push({
        productId,
        title: titles.get(productId) ?? null,
        month: counts(c.month[0], c.month[1]),
        before: counts(c.before[0], c.before[1]),
        difference: t.difference,
        pValue: t.pValue,
        verdict,
        // The test speaks of arms A and B and "better"; here B is the month, a success a negative review.
        reason: reasonInWords(verdict, t.reason, t.difference, t.pValue, alpha),
      });
    }
    const rank = (p: NegativeTrend): number => (p.verdict === 'higher' ? 0 : 1);
    products.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.pValue ?? 2) - (b.pValue ?? 2) ||
        (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
    );
  }
  return {
    scope: options.scope,
    reviews: r.length,
    scored,
    cannotScore,
    unscored: r.length - scored - cannotScore,
    models,
    sentiment: counts(scored, negative),
    averageRating: ratingN ? ratingSum / ratingN : null,
    months,
    aspects,
    comparison: {
      month,
      before,
      alpha,
      turnedNegative,
      products,
      rising: products.filter((p) => p.verdict === 'higher').map((p) => p.productId),
    },
  };
}

const pct = (v: number): string => `${Math.round(v * 1000) / 10}%`;

function reasonInWords(
  verdict: NegativeTrend['verdict'],
  testReason: string,
  d: number | null,
  p: number | null,
  alpha: number,
): string {
  const pv = p === null ? 'n/a' : p.toPrecision(3);
  if (verdict === 'higher') return `negative share up ${pct(d!)} (p = ${pv} < ${alpha})`;
  if (verdict === 'lower') return `negative share down ${pct(-d!)} (p = ${pv} < ${alpha})`;
  if (verdict === 'no_significant_difference') return `no significant change (p = ${pv} >= ${alpha})`;
  // too_small: the test's words, with its arms named.
  return testReason
    .replace(/arm A/g, 'the three months before')
    .replace(/arm B/g, 'the month')
    .replace(/successes/g, 'negative reviews')
    .replace(/failures/g, 'other reviews')
    .replace(/per arm/g, 'per period')
    .replace(/each arm/g, 'each period')
    .replace(/an arm has no trials/, 'a period has no reviews');
}
