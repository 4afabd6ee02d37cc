/**
 * @module assistant/support/placeholders
 * Bitext answers carry placeholders such as {{Order Number}} or {{Customer Support Phone Number}}.
 * None is ever shown raw: a shop fact (name, URL, support phone, e-mail, hours) or the customer's
 * order fills it when known; a menu label ({{Order History}}, {{Edit}}) becomes its words; anything
 * else is removed and the sentence tidied.
 */

export interface ShopFacts {
  readonly name?: string;
  readonly url?: string;
  readonly supportPhone?: string;
  readonly supportEmail?: string;
  readonly supportHours?: string;
}

/** Read from SHOPSIGHT_SHOP_NAME, _URL, _SUPPORT_PHONE, _SUPPORT_EMAIL, _SUPPORT_HOURS. */
export function shopFactsFromEnv(env: NodeJS.ProcessEnv = process.env): ShopFacts {
  const get = (k: string): string | undefined => env[k]?.trim() || undefined;
  const facts = {
    name: get('SHOPSIGHT_SHOP_NAME'),
    url: get('SHOPSIGHT_SHOP_URL'),
    supportPhone: get('SHOPSIGHT_SHOP_SUPPORT_PHONE'),
    supportEmail: get('SHOPSIGHT_SHOP_SUPPORT_EMAIL'),
    supportHours: get('SHOPSIGHT_SHOP_SUPPORT_HOURS'),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as ShopFacts;
}

const FACT_OF: Readonly<Record<string, keyof ShopFacts | 'order'>> = {
  'website name': 'name',
  'company name': 'name',
  'website url': 'url',
  'customer support phone number': 'supportPhone',
  'support phone number': 'supportPhone',
  'customer support email': 'supportEmail',
  email: 'supportEmail',
  'customer support hours': 'supportHours',
  'customer support availability': 'supportHours',
  'order number': 'order',
  'order number anonymized': 'order',
  'purchase id anonymized': 'order',
};

/** Placeholders that name a part of the shop's site or app: shown as their words. */
const LABEL = /^[A-Z][A-Za-z]*( [A-Z][A-Za-z]*){0,3}$/;

export function fillPlaceholders(text: string, shop: ShopFacts, orderId?: string): string {
  const filled = text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_, raw: string) => {
    const key = raw.toLowerCase();
    const fact = FACT_OF[key];
    if (fact === 'order') return orderId ?? REMOVED;
    if (fact) return shop[fact] ?? REMOVED;
    if (/anonymi[sz]ed|number|id$/i.test(raw)) return REMOVED;
    return LABEL.test(raw) ? raw : REMOVED;
  });
  return tidy(filled);
}

/** Marks where a placeholder was removed (a private-use character), so tidying touches only those places. */
const REMOVED = '\uE000';

/**
 * After a removal: no dangling "at"/"on our", no doubled spaces, no space before punctuation, no
 * empty brackets; in Chinese, where words are not spaced, no space left between the characters
 * around the removed value (您的订单 {{Order Number}} 正在配送中 -> 您的订单正在配送中).
 */
function tidy(text: string): string {
  return text
    .replace(/\s*\b(?:at|on|via|to|call|from|in)(?:\s+our)?\s+\uE000/gi, '')
    .replace(/(\p{Script=Han})[ \t]*\uE000[ \t]*(?=[\p{Script=Han}，。！？；：、])/gu, '$1')
    .replace(/\uE000/g, '')
    .replace(/\(\s*\)|"\s*"|'\s*'/g, '')
    .replace(/[ \t]+([.,;:!?，。！？；：、])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}
