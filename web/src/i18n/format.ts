/**
 * The language's texts and Intl formatting without React: the first view (src/first-view/) draws
 * with it before React has loaded; i18n.tsx gives the same object to the app through a context.
 * Numbers, money, percentages and dates follow the language, not the browser's settings, and dates
 * are in UTC, so a screenshot reads the same everywhere.
 */
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export interface I18n {
  readonly lang: Lang;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  num(x: number, digits?: number): string;
  money(x: number | null | undefined): string;
  pct(x: number | null | undefined, digits?: number): string;
  day(iso: string | null | undefined): string;
  month(iso: string): string;
}

function cachedBy<T>(make: (digits: number) => T): (digits: number) => T {
  const made = new Map<number, T>();
  return (digits) => {
    let m = made.get(digits);
    if (m === undefined) made.set(digits, (m = make(digits)));
    return m;
  };
}

export function makeI18n(lang: Lang, currency: string): I18n {
  const messages = MESSAGES[lang];
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 });
  // A formatter is slow to make and quick to use: a chart formats every axis label and table cell,
  // so one per number of digits is made once and kept.
  const pct = cachedBy(
    (digits: number) =>
      new Intl.NumberFormat(lang, {
        style: 'percent',
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      }),
  );
  const num = cachedBy((digits: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }));
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  return {
    lang,
    t: (key, vars) =>
      messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
    num: (x, digits = 0) => num(digits).format(x),
    money: (x) => (x === null || x === undefined ? '–' : money.format(x)),
    pct: (x, digits = 1) => (x === null || x === undefined ? '–' : pct(digits).format(x)),
    day: (iso) =>
      iso
        ? day.format(
            new Date(
              iso.length === 10 ? `${iso}T00:00:00Z` : iso.replace(' ', 'T') + (/[Z+]/.test(iso) ? '' : 'Z'),
            ),
          )
        : '–',
    month: (iso) => month.format(new Date(`${iso.slice(0, 7)}-01T00:00:00Z`)),
  };
}

/** The language of a URL's query: `lang=zh-CN`, else English. */
export function langFrom(params: URLSearchParams): Lang {
  return params.get('lang') === 'zh-CN' ? 'zh-CN' : 'en';
}
