/**
 * The language of the session (English or Simplified Chinese, kept in the URL as `lang=zh-CN` so a
 * shared link opens in the same language) and formatting with Intl: numbers, money, percentages
 * and dates follow the language, not the browser's settings, so a screenshot reads the same
 * everywhere.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
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

export function makeI18n(lang: Lang, currency: string): I18n {
  const messages = MESSAGES[lang];
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 });
  const pct = (digits: number) =>
    new Intl.NumberFormat(lang, {
      style: 'percent',
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  return {
    lang,
    t: (key, vars) =>
      messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
    num: (x, digits = 0) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(x),
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

const I18nContext = createContext<I18n>(makeI18n('en', 'GBP'));

export function I18nProvider(props: { lang: Lang; currency: string; children: ReactNode }) {
  const value = useMemo(() => makeI18n(props.lang, props.currency), [props.lang, props.currency]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
