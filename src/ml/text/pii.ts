/**
 * @module ml/text/pii
 * Finds personal data in free text, as typed spans, so it can be redacted before text leaves for an
 * external language-model endpoint: e-mail addresses, phone numbers (Chinese mobiles with or
 * without +86, international numbers written with +, national numbers starting 0), order ids that
 * are not the asking customer's own, and names the caller knows (customer names from the store).
 * A detector returns spans and a separate step replaces them, so the privacy work can add kinds
 * (addresses, card numbers) and decide per kind what to do.
 *
 * @example
 *   const spans = detectPii('Mail jo@x.com or call 13812345678', {});
 *   redactPii('Mail jo@x.com or call 13812345678', spans); // 'Mail [EMAIL] or call [PHONE]'
 */

export type PiiKind = 'email' | 'phone' | 'order_id' | 'name';

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
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Chinese mobile numbers: 11 digits starting 13-19, optionally +86 / 0086, spaces or dashes between groups.
const CN_MOBILE = /(?<![\d+])(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
// International (+ country code) or national (leading 0 or a bracketed area code): 9-15 digits with separators.
const PHONE = /(?<![\w+])(?:\+\d{1,3}|\(0\d{1,4}\)|0\d{1,4})(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w])/g;

export function detectPii(text: string, options: PiiOptions = {}): PiiSpan[] {
  const found: PiiSpan[] = [];
  const add = (kind: PiiKind, re: RegExp, keep: (m: RegExpExecArray) => boolean = () => true): void => {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    for (let m = g.exec(text); m; m = g.exec(text)) {
      if (m[0].length === 0) {
        g.lastIndex += 1;
        continue;
      }
      if (keep(m)) found.push({ kind, start: m.index, end: m.index + m[0].length });
    }
  };
  add('email', EMAIL);
  add('phone', CN_MOBILE);
  add('phone', PHONE, (m) => {
    const digits = m[0].replace(/\D/g, '').length;
    return digits >= 9 && digits <= 15;
  });
  if (options.orderIdPattern) {
    const own = options.ownOrderIds ?? new Set<string>();
    add('order_id', options.orderIdPattern, (m) => !own.has(m[0]));
  }
  for (const name of options.names ?? []) {
    const trimmed = name.trim();
    if (trimmed.length < 2) continue;
    const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    add('name', new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'));
  }
  return mergeSpans(found);
}

/** Overlapping spans become one (the earliest kind wins): "+86 138..." is one phone, not two. */
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
