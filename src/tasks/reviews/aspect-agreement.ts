/**
 * @module tasks/reviews/aspect-agreement
 * How far two sets of aspect mentions of the same reviews agree: the unsupervised extraction against
 * hand labels (eval/aspects/labelled.jsonl) or against a language model's labels (the optional LLM
 * pass, assistant/reviews/). Two aspect terms of one review match when equal or when one contains the
 * other, after NFKC and lower case (Chinese compounds: 客服 in 客服态度; "support" in "arch support").
 *
 * `found` is the side being judged, `reference` the side taken as right. Precision: found mentions
 * matched by a reference mention of the same review / found; recall: reference mentions matched by a
 * found one / reference; polarity: of the matched found mentions, those whose first matching reference
 * mention has the same polarity. Overall and per aspect term (a found term's precision, a reference
 * term's recall).
 *
 * @example
 *   compareAspects([{ found: [{ aspect: '质量', polarity: 1 }], reference: [{ aspect: '质量', polarity: -1 }] }]);
 *   // overall: precision 1, recall 1, polarityAgreement 0
 */
import { extractAspects } from './aspects.js';

export interface AspectTerm {
  readonly aspect: string;
  /** +1 positive, -1 negative. */
  readonly polarity: number;
}

export interface AspectPair {
  readonly found: readonly AspectTerm[];
  readonly reference: readonly AspectTerm[];
}

export interface AspectAgreement {
  readonly sentences: number;
  readonly found: number;
  readonly labelled: number;
  /** Found aspects matching a labelled one / found. */
  readonly precision: number;
  /** Labelled aspects matched by a found one / labelled. */
  readonly recall: number;
  /** Precision counting a match only when the polarity agrees too. */
  readonly polarityPrecision: number;
}

export interface AspectAgreementRow {
  readonly aspect: string;
  /** Mentions of this term on the found side, and of those, the ones a reference mention matches. */
  readonly found: number;
  readonly agreed: number;
  readonly precision: number;
  /** Of the agreed ones, those with the same polarity. */
  readonly samePolarity: number;
  /** Mentions of this term on the reference side, and of those, the ones a found mention matches. */
  readonly reference: number;
  readonly recalled: number;
  readonly recall: number;
}

export interface AspectComparison {
  readonly overall: AspectAgreement & {
    /** Found mentions matched by a reference mention. */
    readonly matched: number;
    /** Of the matched, the share with the same polarity. */
    readonly polarityAgreement: number;
  };
  /** One row per term, most mentioned (both sides) first. */
  readonly perAspect: readonly AspectAgreementRow[];
}

const norm = (s: string): string => s.normalize('NFKC').toLowerCase().trim();

/** Two aspect terms of one review name the same aspect: equal, or one inside the other. */
export function aspectTermsMatch(a: string, b: string): boolean {
  const x = norm(a);
  const y = norm(b);
  return x === y || x.includes(y) || y.includes(x);
}

export function compareAspects(rows: readonly AspectPair[]): AspectComparison {
  const terms = new Map<
    string,
    { found: number; agreed: number; samePolarity: number; reference: number; recalled: number }
  >();
  const term = (aspect: string) => {
    const key = norm(aspect);
    let t = terms.get(key);
    if (!t) terms.set(key, (t = { found: 0, agreed: 0, samePolarity: 0, reference: 0, recalled: 0 }));
    return t;
  };
  let found = 0;
  let reference = 0;
  let matched = 0;
  let samePolarity = 0;
  let recalled = 0;
  for (const r of rows) {
    found += r.found.length;
    reference += r.reference.length;
    for (const m of r.found) {
      const t = term(m.aspect);
      t.found++;
      const g = r.reference.find((x) => aspectTermsMatch(x.aspect, m.aspect));
      if (!g) continue;
      matched++;
      t.agreed++;
      if (Math.sign(g.polarity) === Math.sign(m.polarity)) {
        samePolarity++;
        t.samePolarity++;
      }
    }
    for (const g of r.reference) {
      const t = term(g.aspect);
      t.reference++;
      if (r.found.some((m) => aspectTermsMatch(g.aspect, m.aspect))) {
        recalled++;
        t.recalled++;
      }
    }
  }
  const share = (a: number, b: number): number => (b ? a / b : NaN);
  return {
    overall: {
      sentences: rows.length,
      found,
      labelled: reference,
      precision: share(matched, found),
      recall: share(recalled, reference),
      polarityPrecision: share(samePolarity, found),
      matched,
      polarityAgreement: share(samePolarity, matched),
    },
    perAspect: [...terms]
      .map(([aspect, t]) => ({
        aspect,
        found: t.found,
        agreed: t.agreed,
        precision: share(t.agreed, t.found),
        samePolarity: t.samePolarity,
        reference: t.reference,
        recalled: t.recalled,
        recall: share(t.recalled, t.reference),
      }))
      .sort((a, b) => b.found + b.reference - (a.found + a.reference) || (a.aspect < b.aspect ? -1 : 1)),
  };
}

export interface LabelledAspects {
  readonly text: string;
  /** [aspect, polarity] pairs a person marked in the text. */
  readonly aspects: readonly (readonly [string, number])[];
}

/** Precision and recall of extractAspects against hand labels (the eval's aspect check). */
export function aspectAgreement(rows: readonly LabelledAspects[]): AspectAgreement {
  const { overall } = compareAspects(
    rows.map((r) => ({
      found: extractAspects(r.text),
      reference: r.aspects.map(([aspect, polarity]) => ({ aspect, polarity })),
    })),
  );
  const { sentences, found, labelled, precision, recall, polarityPrecision } = overall;
  return { sentences, found, labelled, precision, recall, polarityPrecision };
}
