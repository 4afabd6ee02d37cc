/**
 * @module ml/text/char-ngram-keys
 * Character 1-3 grams as numbers, not strings: the fast path behind the character block of the
 * text vectoriser. The n-grams are exactly those of charNgrams (char-ngrams.ts: NFKC, lower case,
 * runs of letters and digits, `cjkOnly` and `punctuation` alike), but each is a number built from
 * the ids of its characters, so scoring 100,000 reviews makes no string per n-gram and looks each
 * one up in an open-addressing table of numbers (no hashing of strings, no allocation).
 *
 * Keys: every character gets an id from 1 to 2^17 - 1 (an alphabet, in order of first sight); a
 * 1-gram is its id, a 2-gram a * 2^17 + b, a 3-gram (a * 2^17 + b) * 2^17 + c. Ids start at 1, so
 * the three ranges never overlap, and a 3-gram stays below 2^51 (an exact double).
 *
 * @example
 *   const alphabet = new CharAlphabet();
 *   const keys = new KeyBuffer();
 *   charNgramKeys('质量好', 1, 2, {}, alphabet, true, keys); // 5 keys: 质, 量, 好, 质量, 量好
 *   alphabet.text(keys.keys[3]!); // '质量'
 */
import type { CharNgramOptions } from './char-ngrams.js';

/** The longest n-gram a key holds. */
export const MAX_KEYED_N = 3;
const BITS = 17;
const K = 2 ** BITS;

const RUN_CHAR = 1;
const SPACELESS_CHAR = 2;
const MARK_CHAR = 4;
const KNOWN = 8;
const RUN_RE = /[\p{L}\p{N}]/u;
const MARK_RE = /[\p{P}\p{S}]/u;
const SPACELESS_RE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** Classes of BMP code units, filled on first sight (the regular expressions run once per character). */
const BMP_CLASSES = new Uint8Array(65536);

function classify(cp: number): number {
  if (cp < 65536) {
    const known = BMP_CLASSES[cp]!;
    if (known) return known;
  }
  const ch = String.fromCodePoint(cp);
  const c =
    KNOWN |
    (RUN_RE.test(ch) ? RUN_CHAR : 0) |
    (MARK_RE.test(ch) ? MARK_CHAR : 0) |
    (SPACELESS_RE.test(ch) ? SPACELESS_CHAR : 0);
  if (cp < 65536) BMP_CLASSES[cp] = c;
  return c;
}

/** Character <-> id, ids from 1 in order of first sight. */
export class CharAlphabet {
  private readonly ids = new Map<number, number>();
  /** id -> code point (index 0 unused). */
  private readonly codePoints: number[] = [0];

  /** Characters known (ids run from 1 to size). */
  get size(): number {
    return this.codePoints.length - 1;
  }

  /** The id of a code point: 0 when unknown and `grow` is false. */
  id(cp: number, grow: boolean): number {
    const known = this.ids.get(cp);
    if (known !== undefined) return known;
    if (!grow) return 0;
    const id = this.codePoints.length;
    if (id >= K)
      throw new RangeError(`character n-grams: more than ${K - 1} distinct characters in one corpus`);
    this.ids.set(cp, id);
    this.codePoints.push(cp);
    return id;
  }

  /** The n-gram a key stands for. */
  text(key: number): string {
    const cps: number[] = [];
    while (key > 0) {
      const id = key % K;
      cps.push(this.codePoints[id]!);
      key = (key - id) / K;
    }
    return String.fromCodePoint(...cps.reverse());
  }

  /** The key of a 1-3 character string whose characters are all known; -1 otherwise. */
  keyOf(term: string): number {
    let key = 0;
    let n = 0;
    for (const ch of term) {
      if (++n > MAX_KEYED_N) return -1;
      const id = this.id(ch.codePointAt(0)!, false);
      if (id === 0) return -1;
      key = key * K + id;
    }
    return n === 0 ? -1 : key;
  }

  /** Adds the characters of `term` (building an alphabet from a saved vocabulary). */
  learn(term: string): void {
    for (const ch of term) this.id(ch.codePointAt(0)!, true);
  }
}

/** A growable list of keys, reused between texts. */
export class KeyBuffer {
  keys = new Float64Array(1024);
  length = 0;

  push(key: number): void {
    if (this.length === this.keys.length) {
      const bigger = new Float64Array(this.keys.length * 2);
      bigger.set(this.keys);
      this.keys = bigger;
    }
    this.keys[this.length++] = key;
  }
}

/** Ids of the current run's kept characters (reused). */
let runIds = new Int32Array(256);

/**
 * Appends the keys of `text`'s character n-grams (minN..maxN <= 3) to `out`, run by run, n by n,
 * as charNgrams orders them. With `grow` false, an n-gram holding a character the alphabet does
 * not know is skipped (it cannot be in a vocabulary built on that alphabet).
 */
export function charNgramKeys(
  text: string | null | undefined,
  minN: number,
  maxN: number,
  options: CharNgramOptions,
  alphabet: CharAlphabet,
  grow: boolean,
  out: KeyBuffer,
): void {
  if (!(minN >= 1 && maxN >= minN && maxN <= MAX_KEYED_N))
    throw new RangeError(`charNgramKeys: need 1 <= minN <= maxN <= ${MAX_KEYED_N} (got ${minN}, ${maxN})`);
  if (!text) return;
  const clean = text.normalize('NFKC').toLowerCase();
  const cjkOnly = options.cjkOnly === true;
  const punctuation = options.punctuation === true;
  const runMask = punctuation ? RUN_CHAR | MARK_CHAR : RUN_CHAR;
  let length = 0;
  let spaceless = false;
  const flush = (): void => {
    if (length > 0 && (!cjkOnly || spaceless)) emit(runIds, length, minN, maxN, out);
    length = 0;
    spaceless = false;
  };
  for (let i = 0; i < clean.length; i++) {
    let cp = clean.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < clean.length) {
      const low = clean.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    const c = classify(cp);
    if (!(c & runMask)) {
      flush();
      continue;
    }
    if (c & SPACELESS_CHAR) spaceless = true;
    // cjkOnly keeps the run's space-less characters (and marks), in order, across the others.
    if (cjkOnly && !(c & SPACELESS_CHAR) && !(punctuation && c & MARK_CHAR)) continue;
    if (length === runIds.length) {
      const bigger = new Int32Array(runIds.length * 2);
      bigger.set(runIds);
      runIds = bigger;
    }
    runIds[length++] = alphabet.id(cp, grow);
  }
  flush();
}

function emit(ids: Int32Array, length: number, minN: number, maxN: number, out: KeyBuffer): void {
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= length; i++) {
      let key = 0;
      let j = 0;
      for (; j < n; j++) {
        const id = ids[i + j]!;
        if (id === 0) break;
        key = key * K + id;
      }
      if (j === n) out.push(key);
    }
  }
}

/**
 * Key -> small integer, open addressing with linear probing over one Float64Array of [key, value]
 * pairs (a probe reads one cache line; keys are integers from 1 below 2^51, 0 marks an empty slot).
 */
export class KeyTable {
  private slots: Float64Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity * 2) c *= 2;
    this.slots = new Float64Array(2 * c);
    this.mask = c - 1;
  }

  private slot(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    let s = h & this.mask;
    for (;;) {
      const k = this.slots[2 * s]!;
      if (k === key || k === 0) return s;
      s = (s + 1) & this.mask;
    }
  }

  /** The value of `key`, -1 when absent. */
  get(key: number): number {
    const s = this.slot(key);
    return this.slots[2 * s] === key ? this.slots[2 * s + 1]! : -1;
  }

  /** The value of `key`, setting it to `value` first when absent. */
  getOrSet(key: number, value: number): number {
    const s = this.slot(key);
    if (this.slots[2 * s] === key) return this.slots[2 * s + 1]!;
    this.slots[2 * s] = key;
    this.slots[2 * s + 1] = value;
    if (++this.size * 2 > this.mask + 1) this.rehash();
    return value;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = old.length - 1;
    for (let s = 0; s < old.length; s += 2) {
      const key = old[s]!;
      if (key === 0) continue;
      const t = this.slot(key);
      this.slots[2 * t] = key;
      this.slots[2 * t + 1] = old[s + 1]!;
    }
  }
}
