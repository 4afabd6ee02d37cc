/**
 * @module tasks/reviews/aspects
 * Which product aspects a review talks about and with which polarity, unsupervised: noun-like words
 * that co-occur with an opinion word in the same clause, in both languages, with the bilingual
 * lexicon (lexicon.ts) as the only opinion knowledge and no trained tagger.
 *
 * Per clause (split at 。，！？,.!?;: and new lines):
 *   - Chinese (ICU words): an opinion word (one holding a lexicon word: 很好, 太慢, 不好用) takes the
 *     nearest earlier word of 2+ Han characters that is neither an opinion word nor a function word
 *     as its aspect: 质量|很|好 -> 质量 +, 物流|太慢 -> 物流 -.
 *   - English (words, negation marked): "ADJ NOUN" with an opinion adjective before a content word
 *     (great quality -> quality +), and "NOUN is/was/feels (very|too|so)* ADJ" (the fabric is thin
 *     -> fabric -; is not good flips).
 * Polarity is the opinion word's, flipped by negation. A corpus-level pass (`aspectVocabulary`) keeps
 * the aspects found in at least `minCount` reviews of a category: the unsupervised aspect list.
 *
 * @example
 *   extractAspects('质量很好，物流太慢'); // [{ aspect: '质量', polarity: 1, opinion: '好' }, { aspect: '物流', polarity: -1, ... }]
 *   extractAspects('Great quality but the zipper broke'); // [{ aspect: 'quality', polarity: 1 }, ...]
 */
import { NEGATED_PREFIX, segmentWords, spacedWords } from '../../ml/text/segment.js';
import { chinesePolarity, englishPolarity } from './lexicon.js';
import { DEFAULT_MAX_CHARS } from './text-check.js';

export interface AspectMention {
  readonly aspect: string;
  /** +1 positive, -1 negative. */
  readonly polarity: 1 | -1;
  /** The opinion word it came with. */
  readonly opinion: string;
}

const CLAUSE = /[。，！？、；：,.!?;:\n~～]+/u;
const HAN_ONLY = /^\p{Script=Han}+$/u;
/** Chinese words that are never aspects: pronouns, adverbs, verbs of saying and buying, fillers. */
const ZH_FUNCTION = new Set([
  '这个',
  '那个',
  '这款',
  '这件',
  '这次',
  '这家',
  '我们',
  '你们',
  '他们',
  '自己',
  '感觉',
  '觉得',
  '就是',
  '还是',
  '但是',
  '不过',
  '而且',
  '非常',
  '特别',
  '比较',
  '真的',
  '实在',
  '一点',
  '有点',
  '一下',
  '总体',
  '总的来说',
  '东西',
  '收到',
  '购买',
  '买的',
  '已经',
  '一直',
  '还有',
  '没有',
  '不是',
  '可以',
  '什么',
  '怎么',
  '一个',
  '一次',
  '以后',
  '之前',
  '时候',
  '确实',
  '整体',
  '还算',
  '挺好',
  '以为',
  '宝贝',
  '商品',
  '产品',
  '卖家',
  '店家',
]);
/** English words that are never aspects. */
const EN_STOP = new Set([
  'i',
  'it',
  'its',
  "it's",
  'this',
  'that',
  'these',
  'those',
  'they',
  'them',
  'the',
  'a',
  'an',
  'my',
  'me',
  'we',
  'you',
  'he',
  'she',
  'is',
  'was',
  'are',
  'were',
  'be',
  'been',
  'and',
  'or',
  'but',
  'so',
  'very',
  'too',
  'really',
  'just',
  'quite',
  'bit',
  'for',
  'of',
  'to',
  'in',
  'on',
  'with',
  'at',
  'as',
  'one',
  'all',
  'not',
  'no',
  'item',
  'product',
  'thing',
  'things',
  'order',
  'buy',
  'bought',
  'purchase',
  'am',
  'will',
  'would',
  'what',
  'also',
  'overall',
  'pretty',
  'much',
  'more',
  'than',
  'get',
  'got',
  'out',
  'up',
  'if',
  'there',
  'here',
  'time',
  'again',
  'her',
  'his',
  'our',
  'your',
  'their',
  'who',
  'which',
  'day',
  'days',
  'yet',
  'still',
  'do',
  'does',
  'did',
  'has',
  'have',
  'had',
]);
const EN_COPULA = new Set([
  'is',
  'was',
  'are',
  'were',
  'feels',
  'feel',
  'felt',
  'looks',
  'look',
  'seems',
  'seem',
  'runs',
  'run',
  'fits',
  'arrived',
  'came',
  "isn't",
  "wasn't",
  "aren't",
  "weren't",
]);
const EN_DEGREE = new Set([
  'very',
  'too',
  'so',
  'really',
  'quite',
  'a',
  'bit',
  'little',
  'super',
  'extremely',
  'pretty',
  'not',
  'a',
  'kind',
  'of',
  'way',
]);

export function extractAspects(text: string): AspectMention[] {
  const out: AspectMention[] = [];
  for (const clause of text.normalize('NFKC').toLowerCase().split(CLAUSE)) {
    if (!clause.trim()) continue;
    if (/\p{Script=Han}/u.test(clause)) chineseClause(clause, out);
    if (/\p{Script=Latin}/u.test(clause)) englishClause(clause, out);
  }
  return dedupe(out);
}

function chineseClause(clause: string, out: AspectMention[]): void {
  const units = chineseUnits(segmentWords(clause).filter((w) => HAN_ONLY.test(w)));
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    const found = chineseOpinion(unit);
    if (!found) continue;
    const negated = i > 0 && ZH_NEGATION.test(units[i - 1]!) && found.at === 0;
    const polarity: 1 | -1 = (negated ? -found.polarity : found.polarity) > 0 ? 1 : -1;
    // The aspect inside the unit before its opinion ("尺码偏小" -> 尺码), else the nearest earlier
    // content unit of 2+ characters.
    const inside = stripDegree(unit.slice(0, found.at));
    if (inside.length >= 2 && !ZH_FUNCTION.has(inside)) {
      out.push({ aspect: inside, polarity, opinion: found.word });
      continue;
    }
    for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
      const w = stripDegree(units[j]!);
      if (w.length < 2 || ZH_FUNCTION.has(w) || chineseOpinion(w)) continue;
      out.push({ aspect: w, polarity, opinion: found.word });
      break;
    }
  }
}

const ZH_NEGATION = /^(?:不|没|没有|不是|并不|从不|毫无|无)$|[不没]$/u;
const ZH_DEGREE =
  /^(?:很|太|非常|特别|有点|有些|比较|偏|挺|超|真|好|还|也|都|就)+|(?:很|太|非常|特别|有点|有些|比较|偏|挺|超|真|也|都|就)+$/gu;

function stripDegree(w: string): string {
  return w.replace(ZH_DEGREE, '');
}

/** ICU words with runs of single characters joined: ICU splits slang into characters (发|货|慢). */
function chineseUnits(words: readonly string[]): string[] {
  const units: string[] = [];
  let run = '';
  for (const w of words) {
    if (w.length === 1 && !ZH_NEGATION.test(w)) run += w;
    else {
      if (run) units.push(run);
      run = '';
      units.push(w);
    }
  }
  if (run) units.push(run);
  return units;
}

/** The first lexicon opinion inside a unit, where it starts and its polarity (negation inside applied). */
function chineseOpinion(unit: string): { word: string; at: number; polarity: number } | null {
  let best: { word: string; at: number; polarity: number } | null = null;
  for (let at = 0; at < unit.length && !best; at++) {
    for (let end = unit.length; end > at; end--) {
      const piece = unit.slice(at, end);
      const p = chinesePolarity(piece);
      if (p !== 0 && chinesePolarity(unit.slice(at + 1, end)) !== p) {
        best = { word: piece, at, polarity: p };
        break;
      }
    }
  }
  return best;
}

function englishClause(clause: string, out: AspectMention[]): void {
  const tokens = spacedWords(clause, { negation: true });
  const plain = tokens.map((t) => (t.startsWith(NEGATED_PREFIX) ? t.slice(NEGATED_PREFIX.length) : t));
  const content = (w: string | undefined): boolean =>
    w !== undefined &&
    /^\p{L}{3,}$/u.test(w) &&
    !EN_STOP.has(w) &&
    !EN_COPULA.has(w) &&
    englishPolarity(w) === 0;
  for (let i = 0; i < tokens.length; i++) {
    const base = englishPolarity(plain[i]!);
    if (base === 0) continue;
    const polarity = (tokens[i]!.startsWith(NEGATED_PREFIX) ? -base : base) > 0 ? 1 : -1;
    // OPINION (the|my|this)? NOUN: "great quality", "love the color"
    let k = i + 1;
    while (EN_DETERMINER.has(plain[k] ?? '')) k++;
    if (content(plain[k])) {
      out.push({ aspect: plain[k]!, polarity, opinion: plain[i]! });
      continue;
    }
    // NOUN OPINION-verb: "the zipper broke"
    if (content(plain[i - 1])) {
      out.push({ aspect: plain[i - 1]!, polarity, opinion: plain[i]! });
      continue;
    }
    // NOUN copula (degree)* ADJ: "the fabric is very thin"
    let j = i - 1;
    while (j >= 0 && EN_DEGREE.has(plain[j]!)) j--;
    if (j >= 1 && EN_COPULA.has(plain[j]!) && content(plain[j - 1])) {
      out.push({ aspect: plain[j - 1]!, polarity, opinion: plain[i]! });
    }
  }
}

const EN_DETERMINER = new Set(['the', 'my', 'this', 'that', 'these', 'its', 'their', 'your', 'a', 'an']);

function dedupe(mentions: AspectMention[]): AspectMention[] {
  const seen = new Set<string>();
  return mentions.filter((m) => {
    const key = `${m.aspect}\u0000${m.polarity}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface CategoryAspects {
  /** null: reviews with no category (neither their own nor their product's). */
  readonly category: string | null;
  readonly reviews: number;
  readonly aspects: readonly AspectCount[];
}

/**
 * The aspect list of each category (the "per category"), largest category first; a long
 * review is read on its first DEFAULT_MAX_CHARS characters, as scoring reads it.
 */
export function aspectVocabularyByCategory(
  texts: readonly string[],
  categories: readonly (string | null)[],
  minCount = 3,
): CategoryAspects[] {
  const groups = new Map<string | null, string[]>();
  texts.forEach((t, i) => {
    const c = categories[i] ?? null;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(t.slice(0, DEFAULT_MAX_CHARS));
  });
  return [...groups]
    .map(([category, group]) => ({
      category,
      reviews: group.length,
      aspects: aspectVocabulary(group, minCount),
    }))
    .sort((a, b) => b.reviews - a.reviews || String(a.category).localeCompare(String(b.category)));
}

export interface AspectCount {
  readonly aspect: string;
  readonly reviews: number;
  readonly positive: number;
  readonly negative: number;
}

/** Aspects found in at least `minCount` reviews, most mentioned first: a corpus's aspect list. */
export function aspectVocabulary(texts: readonly string[], minCount = 3): AspectCount[] {
  const counts = new Map<string, { reviews: number; positive: number; negative: number }>();
  for (const t of texts) {
    const found = extractAspects(t);
    const inReview = new Set<string>();
    for (const m of found) {
      const c = counts.get(m.aspect) ?? { reviews: 0, positive: 0, negative: 0 };
      if (!inReview.has(m.aspect)) c.reviews++;
      inReview.add(m.aspect);
      if (m.polarity > 0) c.positive++;
      else c.negative++;
      counts.set(m.aspect, c);
    }
  }
  return [...counts]
    .filter(([, c]) => c.reviews >= minCount)
    .map(([aspect, c]) => ({ aspect, ...c }))
    .sort((a, b) => b.reviews - a.reviews || (a.aspect < b.aspect ? -1 : 1));
}

/** Aspects as one CSV cell: `aspect:+` / `aspect:-` joined by `;` (e.g. `质量:+;物流:-`). */
export function formatAspects(mentions: readonly AspectMention[]): string {
  return mentions.map((m) => `${m.aspect}:${m.polarity > 0 ? '+' : '-'}`).join(';');
}
