/**
 * The hand-over from the first view (first-view.ts, drawn before React and antd have loaded) to the
 * app. While the first view is on screen the app draws underneath it, laid out but invisible (the
 * `first-view-shown` class, styled in index.html, so the app's charts get their real size); when the
 * app's Overview shows its own KPI cards and revenue chart, or the app shows anything else (another
 * page, the key form, an error), the first view goes and the app appears in its place, with no blank
 * moment in between. Imports nothing: the app and the first view both use it.
 */
const SHOWN = 'first-view-shown';
/** What the app's Overview must have drawn before it replaces the first view. */
export type OverviewPart = 'kpis' | 'series';
const waiting = new Set<OverviewPart>(['kpis', 'series']);
const cleanups: (() => void)[] = [];

/** Puts the first view on screen; `cleanup` runs when it goes (the charts let go of their DOM). */
export function showFirstView(view: HTMLElement, cleanup: () => void): void {
  cleanups.push(cleanup);
  document.body.classList.add(SHOWN);
  document.body.prepend(view);
}

/** Removes the first view, if it is there, and shows the app. */
export function releaseFirstView(): void {
  document.body.classList.remove(SHOWN);
  document.getElementById('first-view')?.remove();
  for (const c of cleanups.splice(0)) c();
}

/** The app's Overview has drawn `part` (its answer or its error); the last one releases the first view. */
export function overviewPartShown(part: OverviewPart): void {
  waiting.delete(part);
  if (waiting.size === 0) releaseFirstView();
}
