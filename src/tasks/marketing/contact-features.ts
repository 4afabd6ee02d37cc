/**
 * @module tasks/marketing/contact-features
 * Turns a contact's named features (numbers and categories, as a campaign file or the store gives
 * them) into the matrix the uplift models read, and back again for new customers: the encoding
 * (numeric columns as they are, each category one-hot over the levels seen in training) is fitted
 * once and stored with the model, so `uplift score` encodes a CSV exactly as training did.
 *
 * A level not seen in training gets all zeros (no level's effect), which is stated in the docs.
 * A missing or non-numeric value is refused with its row and column: a guess would silently
 * change whom the campaign targets.
 *
 * @example
 *   const enc = fitEncoding(records, ['recency', 'history'], ['channel']);
 *   encodedNames(enc); // ['recency', 'history', 'channel=Phone', 'channel=Web']
 *   encodeRecords(enc, records, (i) => `row ${i + 1}`).features;
 */

export type FeatureValue = string | number | boolean | null | undefined;
export type FeatureRecord = Readonly<Record<string, FeatureValue>>;

export interface FeatureEncoding {
  readonly numeric: readonly string[];
  readonly categorical: readonly { readonly name: string; readonly levels: readonly string[] }[];
}

export function fitEncoding(
  records: readonly FeatureRecord[],
  numeric: readonly string[],
  categorical: readonly string[],
): FeatureEncoding {
  return {
    numeric: [...numeric],
    categorical: categorical.map((name) => {
      const levels = new Set<string>();
      for (const r of records) {
        const v = r[name];
        if (v !== null && v !== undefined && v !== '') levels.add(String(v));
      }
      return { name, levels: [...levels].sort() };
    }),
  };
}

/** Column names of the encoded matrix, in order. */
export function encodedNames(enc: FeatureEncoding): string[] {
  return [...enc.numeric, ...enc.categorical.flatMap((c) => c.levels.map((l) => `${c.name}=${l}`))];
}

/** The source columns an input must have. */
export function requiredColumns(enc: FeatureEncoding): string[] {
  return [...enc.numeric, ...enc.categorical.map((c) => c.name)];
}

/** Row-major matrix; `where(i)` names record i for errors (e.g. "customers.csv line 7"). */
export function encodeRecords(
  enc: FeatureEncoding,
  records: readonly FeatureRecord[],
  where: (i: number) => string,
): { features: Float32Array; rows: number; cols: number } {
  const cols = encodedNames(enc).length;
  const features = new Float32Array(records.length * cols);
  records.forEach((r, i) => {
    let j = i * cols;
    for (const name of enc.numeric) {
      const raw = r[name];
      const v =
        typeof raw === 'boolean'
          ? Number(raw)
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : raw;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const what =
          raw === undefined || raw === null || raw === '' ? 'is missing' : `'${String(raw)}' is not a number`;
        throw new Error(`${where(i)}, column ${name}: the feature ${what}`);
      }
      features[j++] = v;
    }
    for (const c of enc.categorical) {
      const raw = r[c.name];
      if (raw === undefined || raw === null || raw === '') {
        throw new Error(`${where(i)}, column ${c.name}: the feature is missing`);
      }
      const at = c.levels.indexOf(String(raw));
      for (let k = 0; k < c.levels.length; k++) features[j++] = k === at ? 1 : 0;
    }
  });
  return { features, rows: records.length, cols };
}
