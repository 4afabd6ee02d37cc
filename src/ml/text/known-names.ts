/**
 * @module ml/text/known-names
 * The names the shop knows (customers' first and last names), found in free text: whole words,
 * case-insensitive, in either order ("Ann Lee", "lee ann"), and Chinese names as written, surname
 * first with no space (王 + 小明 = 王小明) wherever they stand, since Chinese has no spaces between
 * words. A name's parts alone (Ann, 小明) count only for the people asked for with `parts` (the
 * asking customer): every customer's first name alone would take common words ("May", "Will",
 * "Rose") out of every text.
 *
 * Built once per set of names as hash sets of the lower-cased forms; finding is one pass over the
 * text's words (windows of up to MAX_WORDS) and Han runs (windows of 2 to MAX_HAN characters), so
 * the cost does not grow with the number of customers.
 *
 * @example
 *   const known = KnownNames.build([{ first: 'Ann', last: 'Lee' }, { first: '小明', last: '王' }]);
 *   known.spans('ann LEE and 王小明'); // [{ start: 0, end: 7 }, { start: 12, end: 15 }]
 */
import type { NameSpan } from './name-shapes.js';

export interface PersonName {
  readonly first?: string | null;
  readonly last?: string | null;
}

const MAX_WORDS = 4;
const MAX_HAN = 6;
const HAN_ONLY = /^\p{Script=Han}+$/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const HAN_RUN = /\p{Script=Han}+/gu;

const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

export class KnownNames {
  private constructor(
    /** Space-joined lower-case words ("ann lee"). */
    private readonly wordForms: ReadonlySet<string>,
    /** Han-only forms as written (王小明). */
    private readonly hanForms: ReadonlySet<string>,
  ) {}

  static readonly EMPTY = new KnownNames(new Set(), new Set());

  /** `own`: people whose name parts alone also count (the asking customer). */
  static build(people: readonly PersonName[], own: readonly PersonName[] = []): KnownNames {
    const words = new Set<string>();
    const han = new Set<string>();
    const add = (form: string, minLatin: number): void => {
      const f = norm(form);
      if (!f) return;
      if (HAN_ONLY.test(f)) {
        const n = f.length - (f.match(/[\uD800-\uDBFF]/g)?.length ?? 0); // characters, not UTF-16 units
        if (n >= 2 && n <= MAX_HAN) han.add(f);
      } else if (f.length >= minLatin && f.split(' ').length <= MAX_WORDS) words.add(f);
    };
    const forms = (p: PersonName, parts: boolean): void => {
      const first = (p.first ?? '').trim();
      const last = (p.last ?? '').trim();
      if (first && last) {
        add(`${first} ${last}`, 2);
        add(`${last} ${first}`, 2);
        add(`${last}${first}`, 2); // 王小明 (Han: no space)
      } else add(first || last, 2); // a full name kept in one field
      if (parts) {
        // A Latin part shorter than three letters (Li, Jo) is a common syllable: not alone.
        for (const part of [first, last, ...`${first} ${last}`.split(/\s+/)]) add(part, 3);
      }
    };
    for (const p of people) forms(p, false);
    for (const p of own) forms(p, true);
    return new KnownNames(words, han);
  }

  get size(): number {
    return this.wordForms.size + this.hanForms.size;
  }

  spans(text: string): NameSpan[] {
    const out: NameSpan[] = [];
    if (this.wordForms.size) {
      const words = [...text.matchAll(WORD)].map((m) => ({
        start: m.index,
        end: m.index + m[0].length,
        w: m[0].toLowerCase(),
      }));
      for (let i = 0; i < words.length; i++) {
        let key = '';
        let best = -1;
        for (let j = i; j < Math.min(words.length, i + MAX_WORDS); j++) {
          // Words of one name are separated by spaces only (not "Ann, Lee" or "Ann.Lee").
          if (j > i && !/^[ \t]+$/.test(text.slice(words[j - 1]!.end, words[j]!.start))) break;
          key = j === i ? words[j]!.w : `${key} ${words[j]!.w}`;
          if (this.wordForms.has(key)) best = j;
        }
        if (best >= 0) {
          out.push({ start: words[i]!.start, end: words[best]!.end });
          i = best;
        }
      }
    }
    if (this.hanForms.size) {
      for (const run of text.matchAll(HAN_RUN)) {
        const chars = [...run[0]];
        for (let i = 0; i < chars.length; i++) {
          let best = 0;
          for (let n = Math.min(MAX_HAN, chars.length - i); n >= 2; n--) {
            if (this.hanForms.has(chars.slice(i, i + n).join(''))) {
              best = n;
              break;
            }
          }
          if (best) {
            // Han characters are one UTF-16 unit each in the BMP; the rare ones outside it are two.
            const start = run.index + chars.slice(0, i).join('').length;
            out.push({ start, end: start + chars.slice(i, i + best).join('').length });
            i += best - 1;
          }
        }
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }
}
