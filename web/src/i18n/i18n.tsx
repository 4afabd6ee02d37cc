/**
 * The language of the session (English or Simplified Chinese, kept in the URL as `lang=zh-CN` so a
 * shared link opens in the same language) for the app's components, through a context; the texts and
 * Intl formatting themselves are in format.ts.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { makeI18n, type I18n, type Lang } from './format';

export { LANGS, langFrom, makeI18n, type I18n, type Lang } from './format';

const I18nContext = createContext<I18n>(makeI18n('en', 'GBP'));

export function I18nProvider(props: { lang: Lang; currency: string; children: ReactNode }) {
  const value = useMemo(() => makeI18n(props.lang, props.currency), [props.lang, props.currency]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
