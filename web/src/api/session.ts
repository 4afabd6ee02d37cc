/**
 * The key the browser session reads the API with. `npm start` prints a URL whose fragment carries a
 * read key (`/#key=ssk_...`): a fragment is never sent to a server nor written to its logs. The app
 * moves it into sessionStorage (gone when the tab closes) and removes it from the address bar, so a
 * copied URL or a screenshot does not leak it. Without one, the app asks for a key.
 */
const STORAGE = 'shopsight.key';

export function takeKeyFromUrl(): void {
  const match = /(?:^#|&)key=(ssk_[\w-]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(STORAGE, match[1]);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

export function sessionKey(): string | null {
  return sessionStorage.getItem(STORAGE);
}

export function setSessionKey(key: string | null): void {
  if (key) sessionStorage.setItem(STORAGE, key.trim());
  else sessionStorage.removeItem(STORAGE);
}
