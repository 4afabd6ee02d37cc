/**
 * @module ml/text/tokenise
 * Product text -> terms: Unicode NFKC, lower case, apostrophes inside words dropped ("children's" ->
 * "childrens"), then maximal runs of Unicode letters or digits ("t-light" -> "t", "light";
 * "50cm" -> "50cm"; "Glühwein" -> "glühwein"). No stemming: catalogue titles are short and a
 * stemmer's mistakes on brand and product words ("glass"/"glasses") cost more than they save.
 *
 * Stop words are deliberately few: English function words only (STOP_WORDS below). Words such as
 * "set" or "vintage" are common in a catalogue but still describe products; inverse document
 * frequency already down-weights them, so they are not removed here.
 *
 * @example
 *   tokenise("SET OF 3 Children's T-Light Holders"); // ['set', '3', 'childrens', 't', 'light', 'holders']
 */

/** English function words dropped from every text. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'is',
  'it',
  'its',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);

const APOSTROPHE_IN_WORD = /(?<=[\p{L}\p{N}])['\u2019](?=[\p{L}\p{N}])/gu;
const TERM = /[\p{L}\p{N}]+/gu;

export function tokenise(
  text: string | null | undefined,
  stopWords: ReadonlySet<string> = STOP_WORDS,
): string[] {
  if (!text) return [];
  const clean = text.normalize('NFKC').toLowerCase().replace(APOSTROPHE_IN_WORD, '');
  const out: string[] = [];
  for (const m of clean.matchAll(TERM)) if (!stopWords.has(m[0])) out.push(m[0]);
  return out;
}
