/**
 * @module tasks/reviews/lexicon
 * The fallback for a shop with no labels and no stars: a small hand-written bilingual opinion
 * lexicon (about 80 Chinese and 90 English words and phrases, general shopping vocabulary, written for this
 * project), counted with negation. Score = positives - negatives; a negated opinion word counts
 * for the other side ("not good", "不好用" with 不 before 好用). p(positive) = sigmoid(score), so a
 * text with no opinion word gets 0.5: undecided, reported as such. It is a baseline, not a model:
 * docs/reviews.md shows how far below the trained model it scores.
 *
 * Chinese is matched by substring (ICU's segmentation splits review slang), a negator among the two
 * characters before a match flips it; English by words with segmentWords' negation scope.
 *
 * @example
 *   lexiconScore('质量很好，物流快'); // { positive: 2, negative: 0, probability: 0.88 }
 */
import { NEGATED_PREFIX, segmentWords } from '../../ml/text/segment.js';

const ZH_POSITIVE = [
  '好',
  '不错',
  '满意',
  '喜欢',
  '推荐',
  '值得',
  '划算',
  '实惠',
  '便宜',
  '舒服',
  '舒适',
  '漂亮',
  '好看',
  '好用',
  '好吃',
  '新鲜',
  '干净',
  '方便',
  '快',
  '及时',
  '热情',
  '周到',
  '耐心',
  '清晰',
  '流畅',
  '精致',
  '结实',
  '正品',
  '超值',
  '完美',
  '赞',
  '棒',
  '给力',
  '惊喜',
  '合适',
  '香',
  '甜',
  '好评',
  '物美价廉',
  '性价比高',
  '宽敞',
  '安静',
  '稳定',
  '省心',
  '顺滑',
  '柔软',
  '细腻',
  '清爽',
  '持久',
  '耐用',
  '靠谱',
  '优秀',
  '优惠',
  '愉快',
];
const ZH_NEGATIVE = [
  '差',
  '烂',
  '坏',
  '失望',
  '后悔',
  '垃圾',
  '退货',
  '退款',
  '投诉',
  '慢',
  '贵',
  '假',
  '破',
  '脏',
  '臭',
  '难吃',
  '难用',
  '难看',
  '不值',
  '上当',
  '骗',
  '糟糕',
  '问题',
  '故障',
  '卡',
  '死机',
  '发热',
  '掉色',
  '起球',
  '褪色',
  '异味',
  '太小',
  '太大',
  '偏小',
  '偏大',
  '漏',
  '吵',
  '噪音',
  '旧',
  '霉',
  '酸',
  '涩',
  '差评',
  '恶心',
  '无语',
  '郁闷',
  '生气',
  '态度差',
  '不好',
  '坑',
  '划痕',
  '瑕疵',
  '破损',
  '过期',
];
const EN_POSITIVE = [
  'good',
  'great',
  'excellent',
  'love',
  'loved',
  'loves',
  'perfect',
  'nice',
  'comfortable',
  'comfy',
  'beautiful',
  'pretty',
  'cute',
  'happy',
  'recommend',
  'recommended',
  'best',
  'awesome',
  'amazing',
  'fantastic',
  'wonderful',
  'fits',
  'soft',
  'sturdy',
  'durable',
  'fast',
  'quick',
  'worth',
  'satisfied',
  'pleased',
  'glad',
  'favorite',
  'favourite',
  'flattering',
  'stylish',
  'gorgeous',
  'lovely',
  'well',
  'true',
  'easy',
  'warm',
  'cool',
  'cheap',
  'bargain',
  'superb',
  'solid',
  'exactly',
  'fine',
  'like',
  'liked',
  'works',
];
const EN_NEGATIVE = [
  'bad',
  'poor',
  'terrible',
  'awful',
  'horrible',
  'worst',
  'disappointed',
  'disappointing',
  'broke',
  'broken',
  'cheaply',
  'flimsy',
  'return',
  'returned',
  'returning',
  'refund',
  'small',
  'tight',
  'large',
  'loose',
  'big',
  'waste',
  'useless',
  'defective',
  'damaged',
  'ripped',
  'torn',
  'fell',
  'uncomfortable',
  'itchy',
  'hate',
  'hated',
  'wrong',
  'fake',
  'smell',
  'smells',
  'stinks',
  'late',
  'slow',
  'never',
  'junk',
  'garbage',
  'unfortunately',
  'sadly',
  'too',
  'thin',
  'scratchy',
  'cheap-looking',
  'faded',
  'stain',
  'stained',
  'problem',
];

const ZH_NEGATOR = /[不没无别未非]/u;
const EN_POS = new Set(EN_POSITIVE);
const EN_NEG = new Set(EN_NEGATIVE);
// Longest first, so '不好' is tried before '好' at the same place.
const ZH_WORDS = [...ZH_POSITIVE.map((w) => ({ w, s: 1 })), ...ZH_NEGATIVE.map((w) => ({ w, s: -1 }))].sort(
  (a, b) => b.w.length - a.w.length,
);

export interface LexiconScore {
  readonly positive: number;
  readonly negative: number;
  /** sigmoid(positive - negative): 0.5 when the text has no opinion word. */
  readonly probability: number;
}

export function lexiconScore(text: string): LexiconScore {
  let positive = 0;
  let negative = 0;
  const clean = text.normalize('NFKC').toLowerCase();
  // Chinese: scan left to right, longest word first at each position, negator in the 2 chars before.
  const taken = new Uint8Array(clean.length);
  for (const { w, s } of ZH_WORDS) {
    let at = clean.indexOf(w);
    while (at >= 0) {
      let free = true;
      for (let k = at; k < at + w.length; k++) if (taken[k]) free = false;
      if (free) {
        for (let k = at; k < at + w.length; k++) taken[k] = 1;
        const before = clean.slice(Math.max(0, at - 2), at);
        const negated = ZH_NEGATOR.test(before) && !w.startsWith('不');
        if (s > 0 !== negated) positive++;
        else negative++;
      }
      at = clean.indexOf(w, at + w.length);
    }
  }
  for (const token of segmentWords(clean, { negation: true })) {
    const negated = token.startsWith(NEGATED_PREFIX);
    const word = negated ? token.slice(NEGATED_PREFIX.length) : token;
    const s = EN_POS.has(word) ? 1 : EN_NEG.has(word) ? -1 : 0;
    if (s === 0) continue;
    if (s > 0 !== negated) positive++;
    else negative++;
  }
  return { positive, negative, probability: 1 / (1 + Math.exp(-(positive - negative))) };
}

/** +1, -1 or 0: the polarity of one English word in the lexicon. */
export function englishPolarity(word: string): number {
  return EN_POS.has(word) ? 1 : EN_NEG.has(word) ? -1 : 0;
}

/**
 * The polarity of a Chinese word by the lexicon words inside it ("很好" holds 好, "太慢" holds 慢),
 * the longest match first; a negator before the match flips it ("不好用"). 0 when none is inside.
 */
export function chinesePolarity(word: string): number {
  for (const { w, s } of ZH_WORDS) {
    const at = word.indexOf(w);
    if (at < 0) continue;
    const negated = ZH_NEGATOR.test(word.slice(0, at)) && !w.startsWith('不');
    return negated ? -s : s;
  }
  return 0;
}
