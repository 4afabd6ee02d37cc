/**
 * @module ml/text/pii
 * Finds personal data in free text, as typed spans, so it can be masked on output and redacted
 * before text leaves for an external language-model endpoint: e-mail addresses; phone numbers
 * (Chinese mobiles with or without +86, international numbers written with +, national numbers
 * starting 0 such as 010-12345678, North American (415) 555-2671); Chinese resident ID numbers
 * (18 characters, birth date and check digit checked: check-digits.ts); bank card numbers (13-19
 * digits, spaced or not, Luhn-checked); IPv4 and IPv6 addresses; street addresses where their shape
 * shows (a Chinese road or street with a house number 号, an English house number + street name +
 * Street/Road/..., a UK postcode); order ids that are not the asking customer's own; names the
 * caller knows (customer names from the store: known-names.ts) and names written in a shape that
 * shows them ("my name is ...", "Regards, ...", Mr ..., 我叫..., ...先生: name-shapes.ts). A detector returns spans and a separate step
 * replaces them, so a caller decides per kind what to do. Measured on a hand-labelled set of
 * strings, half Chinese (pii-labelled.test.ts, docs/privacy.md).
 *
 * @example
 *   const spans = detectPii('Mail jo@x.com or call 13812345678', {});
 *   redactPii('Mail jo@x.com or call 13812345678', spans); // 'Mail [EMAIL] or call [PHONE]'
 */

import { isChineseResidentId, luhnValid } from './check-digits.js';
import { KnownNames } from './known-names.js';
import { nameShapeSpans } from './name-shapes.js';

export const PII_KINDS = [
  'email',
  'phone',
  'cn_id',
  'bank_card',
  'ip',
  'address',
  'order_id',
  'name',
] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiSpan {
  readonly kind: PiiKind;
  /** UTF-16 offsets into the text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface PiiOptions {
  /** What an order id looks like in this store (e.g. /\b\d{6}\b/ for Online Retail invoices). */
  readonly orderIdPattern?: RegExp;
  /** The asking customer's own order ids: kept, since the answer is about them. */
  readonly ownOrderIds?: ReadonlySet<string>;
  /** Names to redact where they appear as whole words (case-insensitive). */
  readonly names?: readonly string[];
  /** The store's customer names (first and last), found as known-names.ts says. */
  readonly knownNames?: readonly KnownNames[];
  /** Names written in a shape that shows them (name-shapes.ts); default on. */
  readonly nameShapes?: boolean;
}

// ASCII addresses: Chinese text often runs straight into one (邮箱abc@qq.com收不到), so letters of
// other scripts end it rather than join it.
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g;
// Chinese mobile numbers: 11 digits starting 13-19, optionally +86 / 0086, spaces or dashes between groups.
const CN_MOBILE = /(?<![\d+])(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
// International (+ country code) or national (leading 0 or a bracketed area code): 9-15 digits with separators.
const PHONE = /(?<![\w+])(?:\+\d{1,3}|\(0\d{1,4}\)|0\d{1,4})(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w])/g;
// North American numbers written without +: (415) 555-2671, 415-555-2671, 1-800-555-0199.
const NANP = /(?<![\w+-])(?:1[-.\s])?(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?![\w-])/g;
// 18-character resident ID: region, birth date, sequence, check character (verified after matching).
const CN_ID =
  /(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
// 13-19 digits, optionally in groups separated by one space or dash (Luhn verified after matching).
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const IPV4 =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)/g;
// IPv6: the full eight groups, or a compressed form with '::' (clock times like 10:30:00 have neither).
const IPV6 =
  /(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6}))(?![\w:])/g;
// A Chinese address: optional divisions (省, 市, 区, 县, 镇...), then a road or street (and its
// section 段) and a house number 号, then optional building, unit and room.
const CN_ADDRESS = new RegExp(
  '(?:[\\u4e00-\\u9fa5]{1,8}?(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道))*' +
    '[\\u4e00-\\u9fa5A-Za-z0-9]{1,12}?(?:路|街|大道|大街|道|巷|弄|胡同)(?:[一二三四五六七八九十]{1,3}段)?\\s?\\d{1,5}(?:-\\d{1,4})?\\s?(?:号|號)' +
    '(?:\\s?(?:[\\dA-Za-z]{1,4}|[一二三四五六七八九十]{1,3})(?:号楼|栋|幢|座|单元|楼|层|室|号))*',
  'g',
);
// Words that lead into an address in Chinese (请寄到, 我住在, 地址是...): the span starts after them.
const CN_LEAD_IN =
  /^(?:.{0,4}?(?:寄|送|发|运)(?:货|件)?(?:到|往|至)了?|.{0,3}?(?:住在|家在|位于)|.{0,2}?地址(?:是|为|写的是)?[:：]?\s*)/;

const STREET =
  '(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Close|Court|Ct|Place|Pl|Terrace|Crescent|Square|Sq|Parade|Row|Hill|Gardens|Grove|Mews|Walk)';
// An English street address: house number, one to four capitalised words, a street type.
const EN_ADDRESS = new RegExp(
  `(?<![\\w])\\d{1,5}[A-Za-z]?,?\\s+(?:[A-Z][A-Za-z'-]+\\s+){1,4}${STREET}\\b\\.?`,
  'g',
);
// A UK postcode (SW1A 1AA, M1 1AE, EC1V 9HX).
const UK_POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b/g;

export function detectPii(text: string, options: PiiOptions = {}): PiiSpan[] {
  const found: PiiSpan[] = [];
  /** `keep` says whether a match counts; it may instead return how many leading characters to drop. */
  const add = (
    kind: PiiKind,
    re: RegExp,
    keep: (m: RegExpExecArray) => boolean | number = () => true,
  ): void => {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    for (let m = g.exec(text); m; m = g.exec(text)) {
      if (m[0].length === 0) {
        g.lastIndex += 1;
        continue;
      }
      const k = keep(m);
      const skip = typeof k === 'number' ? k : 0;
      if (k !== false && skip < m[0].length)
        found.push({ kind, start: m.index + skip, end: m.index + m[0].length });
    }
  };
  add('email', EMAIL);
  // Checked numbers first: where a span could be read two ways, the earliest added kind is kept.
  add('cn_id', CN_ID, (m) => isChineseResidentId(m[0]));
  add('bank_card', CARD, (m) => {
    const digits = m[0].replace(/\D/g, '');
    // 13-digit card numbers are Visa's old length only; other 13-digit runs are mostly EAN barcodes.
    if (digits.length === 13 && digits[0] !== '4') return false;
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) && !isChineseResidentId(digits);
  });
  add('phone', CN_MOBILE);
  add('phone', PHONE, (m) => {
    const digits = m[0].replace(/\D/g, '').length;
    return digits >= 9 && digits <= 15;
  });
  add('phone', NANP);
  add('ip', IPV4);
  add('ip', IPV6, (m) => m[0].includes('::') || m[0].split(':').length === 8);
  add('address', CN_ADDRESS, trimLeadIn);
  add('address', EN_ADDRESS);
  add('address', UK_POSTCODE);
  if (options.orderIdPattern) {
    const own = options.ownOrderIds ?? new Set<string>();
    add('order_id', options.orderIdPattern, (m) => !own.has(m[0]));
  }
  if (options.names?.length) {
    const given = KnownNames.build(options.names.map((n) => ({ first: n })));
    for (const sp of given.spans(text)) found.push({ kind: 'name', ...sp });
  }
  for (const known of options.knownNames ?? [])
    for (const sp of known.spans(text)) found.push({ kind: 'name', ...sp });
  if (options.nameShapes ?? true) for (const sp of nameShapeSpans(text)) found.push({ kind: 'name', ...sp });
  return mergeSpans(found);
}

/** How many leading characters of a Chinese address match are lead-in words, not the address. */
function trimLeadIn(m: RegExpExecArray): number {
  return CN_LEAD_IN.exec(m[0])?.[0].length ?? 0;
}

/** Overlapping spans become one (the earliest, then longest, span's kind wins): "+86 138..." is one phone, not two. */
function mergeSpans(spans: PiiSpan[]): PiiSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PiiSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) out[out.length - 1] = { ...last, end: s.end };
    } else out.push(s);
  }
  return out;
}

const PLACEHOLDER: Readonly<Record<PiiKind, string>> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  cn_id: '[ID_NUMBER]',
  bank_card: '[CARD]',
  ip: '[IP]',
  address: '[ADDRESS]',
  order_id: '[ORDER_ID]',
  name: '[NAME]',
};

/** The text with each span replaced by its kind's placeholder. Spans must not overlap (detectPii's don't). */
export function redactPii(text: string, spans: readonly PiiSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + PLACEHOLDER[s.kind];
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * The text with every detected e-mail, phone, ID number, card, IP, address and name written in a
 * name's shape replaced by its placeholder: what output and logs show of free text unless personal data was asked for.
 */
export function maskPii(text: string, options: PiiOptions = {}): string {
  return redactPii(text, detectPii(text, options));
}
