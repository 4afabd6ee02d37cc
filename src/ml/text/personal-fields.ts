/**
 * @module ml/text/personal-fields
 * Masking of structured personal fields on output (CLI and API), beside pii.ts's free-text masking:
 * a customer's e-mail and names, and the values of their `attributes` JSON that are personal, either by their
 * key (an e-mail, a name, a phone, an IP, an address, an ID number: the whole value goes) or by
 * their content (a string value in which the PII detector finds a span: the span goes). Other values
 * (sex, age band, loyalty tier, numbers, booleans) are shown as stored. An admin asks for the values
 * as stored explicitly (`--unmask`, `?unmask=true`); `privacy export` is never masked (it is the
 * person's own data).
 *
 * @example
 *   maskAttributes({ first_name: 'Li', sex: 'F', note: 'call 13812345678' });
 *   // { first_name: '[NAME]', sex: 'F', note: 'call [PHONE]' }
 */
import { maskPii } from './pii.js';

/** Keys whose whole value is personal, with the placeholder shown instead (first match wins). */
const PERSONAL_KEYS: readonly (readonly [RegExp, string])[] = [
  [/e[-_]?mail/i, '[EMAIL]'],
  [/phone|mobile|(^|_)tel(_|$)|wechat|whatsapp/i, '[PHONE]'],
  [/(^|_)ip(_|$)|ip_?addr/i, '[IP]'],
  [/address|street|postcode|post_code|zip/i, '[ADDRESS]'],
  [/id_?card|id_?number|passport|national_?id|ssn/i, '[ID_NUMBER]'],
  [/name|nickname/i, '[NAME]'],
];

export const EMAIL_PLACEHOLDER = '[EMAIL]';
export const NAME_PLACEHOLDER = '[NAME]';

/** The placeholder of a key that names a personal field, else null. */
export function personalKeyPlaceholder(key: string): string | null {
  for (const [pattern, placeholder] of PERSONAL_KEYS) if (pattern.test(key)) return placeholder;
  return null;
}

/** An e-mail as shown masked: null stays null. */
export function maskEmail(email: string | null): string | null {
  return email === null ? null : EMAIL_PLACEHOLDER;
}

/** A first or last name as shown masked: null stays null. */
export function maskName(name: string | null): string | null {
  return name === null ? null : NAME_PLACEHOLDER;
}

function maskValue(key: string | null, value: unknown): unknown {
  const placeholder = key === null ? null : personalKeyPlaceholder(key);
  if (placeholder !== null && value !== null && value !== undefined && value !== '') return placeholder;
  if (typeof value === 'string') return maskPii(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(key, v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(k, v)]));
  }
  return value;
}

/** A customer's attributes with personal values masked (nested objects and arrays too). */
export function maskAttributes(attributes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return maskValue(null, attributes) as Record<string, unknown>;
}
