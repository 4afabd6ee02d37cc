/**
 * @module ml/text/name-shapes
 * Names the shop does not know, found by the shapes people write them in: English self-introductions
 * ("my name is Ann Lee", "I'm Ann Lee", "this is Ann from Acme"), sign-offs ("Regards, Ann" at the
 * end of a line), honorifics and greetings (Mr/Mrs/Ms/Miss/Mx/Dr/Prof/Madam/Dear + capitalised
 * words), "name: X" fields (English and 姓名/收件人/联系人), and Chinese 我叫X, 我是X, 我姓X, X先生,
 * X女士, X小姐 where X starts with a common surname (chinese-surnames.ts).
 *
 * Precision first: a capitalised word is a name only in one of those shapes and only when it is not
 * a common word (NOT_NAMES: "I'm Looking", "Thanks, Great", "I'm British" stay), and a Chinese word
 * only when it starts with a surname and is not a common word that does (顾客, 高级, 武汉...). Only
 * the name is returned, never the lead-in: "my name is [NAME]", "[NAME]先生". Measured on the
 * labelled sentences in name-shapes.test.ts.
 *
 * @example
 *   nameShapeSpans('Hi, my name is Ann Lee. Where is my order?'); // [{ start: 15, end: 22 }]
 */
import { CHINESE_SURNAMES } from './chinese-surnames.js';

export interface NameSpan {
  /** UTF-16 offsets into the text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** Capitalised words that are never taken for a name in an English shape. */
const NOT_NAMES = new Set(
  (
    'I A An The This That These Those It Its My Our Your We You He She They Me Us Him Her Them ' +
    'Not No Yes So Very Just Still Also Really Here There Back Done Ready Sure Sorry Glad Happy ' +
    'Unhappy Afraid Able Unable New Old Good Great Fine Well Ok Okay Please Thanks Thank Hi Hello Hey ' +
    'Dear Team All Everyone Sir Madam Customer Customers Support Service Services Sales Store Shop ' +
    'Can Could Would Will Shall Should May Might Must Do Does Did Is Are Was Were Be Been Have Has Had ' +
    'And Or But If When Where What Why How Who Which Whom For From With At On In To Of By As About ' +
    'After Before Again Now Today Tomorrow Yesterday Soon Later Monday Tuesday Wednesday Thursday ' +
    'Friday Saturday Sunday January February March April June July August September October ' +
    'November December British English American Chinese French German Spanish Italian Irish Scottish ' +
    'Welsh Canadian Australian Japanese Korean Indian European Asian African Dutch Swiss Polish ' +
    'Portuguese Brazilian Mexican Russian Hong Kong Order Orders Account Refund Item Items Product ' +
    'Products Gift Delivery Regards Best Kind Warm Cheers Sincerely Yours Love Many Waiting Looking ' +
    'Trying Writing Calling Having Getting Going Hoping Wondering Interested Disappointed Confused ' +
    'Satisfied Pleased Excited Unsure Upset Annoyed Frustrated Worried Concerned Available Out Off ' +
    'Up Down Over Under One Two Three Some Any Every Each Both Other Another Such Only Even Same ' +
    'Mr Mrs Ms Miss Mx Dr Prof'
  ).split(' '),
);

/** Lower-case words that end a name written in lower case after "my name is" ("my name is on the order"). */
const NOT_NAMES_LOWER = new Set([
  ...[...NOT_NAMES].map((w) => w.toLowerCase()),
  ...'wrong spelled misspelled misspelt incorrect missing different correct listed shown written printed below above attached same spelt changed not'.split(
    ' ',
  ),
]);

// Ann, O’Neill, Mary-Jane, McDonald; an all-capitals word (a product title) runs on into letters and is refused.
const CAP_WORD = String.raw`\p{Lu}\p{Ll}*(?:['’-]?\p{Lu}?\p{Ll}+)*`;
const ANY_WORD = String.raw`\p{L}[\p{L}'’-]*`;

/** Up to `max` capitalised words from `at` (same line), stopping at the first common word; [start, end] or null. */
function capitalisedName(text: string, at: number, max = 3, lowerToo = false): [number, number] | null {
  const word = new RegExp(`[ \\t]*(${lowerToo ? ANY_WORD : CAP_WORD})`, 'uy');
  let start = -1;
  let end = -1;
  let pos = at;
  for (let n = 0; n < max; n++) {
    word.lastIndex = pos;
    const m = word.exec(text);
    if (!m) break;
    const w = m[1]!;
    const isCap = /^\p{Lu}/u.test(w);
    if (!isCap && (!lowerToo || NOT_NAMES_LOWER.has(w.toLowerCase()))) break;
    if (isCap && NOT_NAMES.has(w)) break;
    // A word running straight into more letters or digits (an id, "Ann2") is not taken.
    const after = text[m.index + m[0].length];
    if (after !== undefined && /[\p{L}\p{N}_]/u.test(after)) break;
    if (start < 0) start = m.index + m[0].length - w.length;
    end = m.index + m[0].length;
    pos = end;
  }
  return start < 0 ? null : [start, end];
}

interface EnglishShape {
  /** The words before the name; the name is read from the end of the match. */
  readonly lead: RegExp;
  readonly max?: number;
  readonly lowerToo?: boolean;
  /** Whether the name found is taken, given the text after it. */
  readonly accept?: (name: string, after: string) => boolean;
}

const SIGN_OFF = String.raw`(?:Best regards|Kind regards|Warm regards|Warmest regards|Regards|Best wishes|Many thanks|Thanks so much|Thanks again|Thank you|Thanks|Cheers|Sincerely|Yours sincerely|Yours truly|Yours faithfully|Best|Love)`;

const ENGLISH_SHAPES: readonly EnglishShape[] = [
  // "my name is ann lee" is often typed in lower case: lower-case words count here.
  { lead: /\bmy (?:full )?name(?: is|'s|’s)\s+/giu, lowerToo: true, max: 3 },
  { lead: /\b(?:I am called|call me|I go by)\s+/giu, max: 2 },
  {
    // "I'm Looking for" / "I'm Disappointed": one word ending -ing or -ed is a verb, not a name.
    lead: /\b(?:I'm|I’m|I am|Im)\s+/gu,
    max: 2,
    accept: (name) => name.includes(' ') || !/(?:ing|ed)$/u.test(name) || name.length <= 5,
  },
  {
    lead: /\b[Tt]his is\s+/gu,
    max: 3,
    // "This is Amazing." in a review: only a self-introduction's next words make it a name.
    accept: (_name, after) => /^[ \t]*(?:from|at|here|speaking|calling|writing|with|of)\b/u.test(after),
  },
  { lead: /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Madam|Dear)\.?[ \t]+/gu, max: 3 },
  {
    lead: new RegExp(
      String.raw`(?:^|[\n.!?][ \t]*)${SIGN_OFF}[ \t]*(?:,[ \t]*\n?|\n|[ \t]-[ \t]*)[ \t]*`,
      'giu',
    ),
    max: 3,
    // A sign-off ends the message or its line: "Thanks, Great product!" goes on, so it is not one.
    accept: (_name, after) => /^[ \t]*[.!]?[ \t]*(?:\n|$)/u.test(after),
  },
  {
    lead: /\b(?:full name|first name|last name|surname|customer name|recipient|name)[ \t]*[:：=][ \t]*/giu,
    max: 3,
    lowerToo: true,
  },
];

/** Words before "name:" that make it something else's name (a product's, a file's). */
const OTHER_NAME_FIELD =
  /\b(?:product|item|brand|file|company|shop|store|model|user|host|domain|field|column|variable|display|pet|app|device|network|wifi|event|campaign|template|sku)[ \t_-]*$/iu;

const SURNAMES = [...CHINESE_SURNAMES].sort((a, b) => b.length - a.length);
const SURNAME_ALT = SURNAMES.join('|');
/** Characters that end a Chinese given name: particles, verbs and pronouns that follow a name. */
const CJK_STOP =
  '的了是在想要我你他她们请问和与跟从给把被说叫买订下单这那就也都还吗呢吧啊呀哦嗯有来去到过刚已再先女太姓老';
const GIVEN = `[\\u4e00-\\u9fff]`;

/** Common words that start with a surname character (我是顾客, 我是武汉人, 谢谢先生): never a name. */
const CJK_NOT_NAMES = [
  ...'顾客 会员 高级 黄金 白金 金卡 金牌 金色 万一 方便 马上 周末 曾经 付款 付费 余额 于是 任何 程序 夏天 常客 常来 常常 白天 白色 黄色 高端 高档 高兴 何时 严格 文员 文字 康复 江苏 江西 江门 武汉 苏州 常州 徐州 郑州 石家庄 金华 沈阳 唐山 许昌 邵阳 黄山 黄石 陆续 范围 易于 毛衣 钱包 雷达 孙子 谢谢 向来 龙华 欧洲 欧美 万达 田园 宋体 朱红 林业 叶子 程度 魏晋 段落 史上 白族 高举 万能'.split(
    ' ',
  ),
];

/**
 * Common words that end in a surname character (非常适合女士: 常 is a surname): a name does not
 * start inside one of them. Found on the Chinese review corpus (reviews-zh), then widened by hand.
 */
const CJK_WORDS_ENDING_IN_SURNAME = new Set(
  (
    '非常 经常 正常 通常 平常 异常 日常 往常 照常 寻常 感谢 多谢 答谢 致谢 地方 对方 双方 官方 大方 ' +
    '比方 提高 很高 最高 太高 现金 资金 租金 押金 美金 宝石 钻石 森林 长江 中文 英文 原文 明白 空白 ' +
    '一周 上周 下周 责任 信任 主任 过程 行程 课程 工程 阶段 手段 火龙 对于 关于 由于 等于 终于 至于 ' +
    '支付 应付 交付 一万 千万 上万 健康 容易 交易 贸易 依赖 信赖 方向 一向 走向 鸡汤 树叶 茶叶 价钱 ' +
    '有钱 花钱 值钱 省钱 也许 或许 允许 少许 任何 如何 为何 羽毛 地雷 大陆 登陆 佩戴 穿戴 面孔 古董 ' +
    '其余 多余 业余 剩余 未曾 不曾 照顾 光顾 回顾 荒唐 桥梁 行李 紧张 夸张 主张 开张 纸张 慌张 规范 ' +
    '示范 模范 师范 生姜 携程 之于 高举 万能'
  ).split(' '),
);

interface ChineseShape {
  readonly re: RegExp;
  /** The name's group. */
  readonly group: number;
}

// After 我叫/我是/我姓 (and 姓名：), a surname and up to two more characters; before 先生/女士/...,
// a surname and up to two characters (the title stays, only the name is redacted).
const CHINESE_SHAPES: readonly ChineseShape[] = [
  {
    re: new RegExp(
      `(?:我叫|我是|本人是|本人叫|我的名字是|我的名字叫)((?:${SURNAME_ALT})[^${CJK_STOP}\\P{Script=Han}]{1,2})`,
      'gu',
    ),
    group: 1,
  },
  { re: new RegExp(`我姓(${SURNAME_ALT})`, 'gu'), group: 1 },
  {
    re: new RegExp(`((?:${SURNAME_ALT})(?:[^${CJK_STOP}\\P{Script=Han}]{0,2}?))老?(?:先生|女士|小姐)`, 'gu'),
    group: 1,
  },
  // A field: the value is a name whatever its first character (少数民族 names, rare surnames), when
  // it is the whole run of Han characters (名字：在查找联系人 is a sentence, not a name).
  {
    re: new RegExp(`(?:姓名|名字|收件人|收货人|联系人)[:：][ \\t]*(${GIVEN}{2,4})(?!\\p{Script=Han})`, 'gu'),
    group: 1,
  },
];

/** Spans of names written in one of the shapes, in text order, not overlapping. */
export function nameShapeSpans(text: string): NameSpan[] {
  const out: NameSpan[] = [];
  for (const shape of ENGLISH_SHAPES) {
    const lead = new RegExp(shape.lead.source, shape.lead.flags);
    for (let m = lead.exec(text); m; m = lead.exec(text)) {
      const leadEnd = m.index + m[0].length;
      if (m[0].length === 0) {
        lead.lastIndex += 1;
        continue;
      }
      if (
        /name[ \t]*[:：=]/iu.test(m[0]) &&
        OTHER_NAME_FIELD.test(text.slice(Math.max(0, m.index - 30), m.index))
      )
        continue;
      const span = capitalisedName(text, leadEnd, shape.max, shape.lowerToo);
      if (!span) continue;
      const name = text.slice(span[0], span[1]);
      if (shape.accept && !shape.accept(name, text.slice(span[1]))) continue;
      out.push({ start: span[0], end: span[1] });
    }
  }
  for (const shape of CHINESE_SHAPES) {
    const re = new RegExp(shape.re.source, shape.re.flags);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[shape.group]!;
      const start = m.index + m[0].indexOf(name);
      if (CJK_WORDS_ENDING_IN_SURNAME.has(text.slice(Math.max(0, start - 1), start + 1))) {
        // 非常适合女士: try again from the next character (a name may still follow the word).
        re.lastIndex = start + 1;
        continue;
      }
      if (CJK_NOT_NAMES.some((w) => name.startsWith(w))) {
        // 谢谢先生: skip the whole word, so 谢先生 is not found inside it.
        re.lastIndex = start + name.length;
        continue;
      }
      out.push({ start, end: start + name.length });
    }
  }
  return mergeNameSpans(out);
}

function mergeNameSpans(spans: NameSpan[]): NameSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: NameSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) out[out.length - 1] = { start: last.start, end: s.end };
    } else out.push(s);
  }
  return out;
}
