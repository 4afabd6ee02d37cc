/**
 * Review sources (docs/reviews.md):
 * - `amazon-reviews`: McAuley's Amazon review JSON Lines (2014/2018 dumps such as
 *   AMAZON_FASHION_5.jsonl): overall (stars), reviewText, summary, asin, reviewerID,
 *   unixReviewTime, verified. The dumps repeat a review once per product variant (same reviewer,
 *   product and text, another `style`), so the id includes the source line: every line is kept, and
 *   a consumer that needs distinct texts deduplicates them (the sentiment evaluation does).
 * - `labelled-reviews`: a CSV of review text with a sentiment label and no stars, such as
 *   reviews-zh: `review`, `label` (1/0 or positive/negative) and an optional `cat` or `category`.
 *   Such corpora have no ids, products or authors: the review id is the line number, so a
 *   second labelled file imported into the same store replaces the reviews of the same lines
 *   (import one corpus per store, or map an id column with the generic preset).
 */
import type { Preset } from '../mapping.js';

export const amazonReviewsPreset: Preset = {
  name: 'amazon-reviews',
  description: 'Amazon review JSON Lines (overall, reviewText, summary, asin, reviewerID, unixReviewTime)',
  files: [
    {
      mapping: {
        frame: 'reviews',
        format: { kind: 'ndjson' },
        unknownProducts: 'create',
        columns: {
          review_id: { concat: ['asin', 'reviewerID', '$line'], separator: ':' },
          customer_id: { column: 'reviewerID', optional: true },
          product_id: 'asin',
          rating: 'overall',
          title: { column: 'summary', optional: true },
          body: { column: 'reviewText', optional: true },
          created_at: { column: 'unixReviewTime', format: 'epoch', optional: true },
          verified: { column: 'verified', optional: true },
        },
      },
    },
  ],
};

export const labelledReviewsPreset: Preset = {
  name: 'labelled-reviews',
  description:
    'a CSV of review texts labelled 1/0 or positive/negative (review, label, optional cat/category)',
  files: [
    {
      mapping: {
        frame: 'reviews',
        format: { kind: 'csv' },
        columns: {
          review_id: { concat: ['$line'] },
          body: 'review',
          label: {
            column: 'label',
            cases: [
              { equals: ['1', 'positive', 'pos', 'Positive', 'POSITIVE'], value: 1 },
              { equals: ['0', 'negative', 'neg', 'Negative', 'NEGATIVE'], value: 0 },
            ],
          },
          category: { column: 'cat', alternatives: ['category'], optional: true },
        },
      },
    },
  ],
};
