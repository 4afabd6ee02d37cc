/**
 * @module ml/forecast/closed-days
 * Days a shop does not trade (Online Retail has no sale on any Saturday): a slot of the season
 * (a weekday) with no sale in each of the last CLOSED_SEASONS seasons is taken as closed. A model
 * is then fitted on the open periods only, with a season of m minus the closed slots, and its
 * forecasts are laid back onto the calendar with 0 (and zero-width intervals) on closed days.
 * Without it a smoothing model spreads the weekly zero over its level and season and forecasts
 * sales on the closed day. The wrapper keeps the Fitted contract on the original time axis, so past
 * errors, intervals and the backtest see the same days as for any other model.
 *
 * @example
 *   closedSlots(y, 7); // [false, false, false, false, false, true, false]: slot 5 never sells
 */
import type { Fitted, Forecaster } from './types.js';

/** Seasons a slot must have been without sales to count as closed: eight weeks of days. */
export const CLOSED_SEASONS = 8;

/** Per slot (t mod m), whether it had no sale in each of the last CLOSED_SEASONS seasons; null when none is. */
export function closedSlots(y: Float64Array, m: number): boolean[] | null {
  const n = y.length;
  if (m < 2 || n < CLOSED_SEASONS * m) return null;
  const closed = new Array<boolean>(m).fill(true);
  for (let t = n - CLOSED_SEASONS * m; t < n; t++) if (y[t] !== 0) closed[t % m] = false;
  const count = closed.filter(Boolean).length;
  return count > 0 && count < m ? closed : null;
}

/** Fits `f` on the open days of y (season m minus the closed slots) and answers on y's calendar. */
export function fitOpenDays(f: Forecaster, y: Float64Array, m: number, closed: boolean[]): Fitted {
  const mOpen = m - closed.filter(Boolean).length;
  return onCalendar(f.fit(openValues(y, m, closed), mOpen >= 2 ? mOpen : 1), y, m, closed);
}

function openTimes(n: number, m: number, closed: boolean[]): number[] {
  const open: number[] = [];
  for (let t = 0; t < n; t++) if (!closed[t % m]) open.push(t);
  return open;
}

function openValues(y: Float64Array, m: number, closed: boolean[]): Float64Array {
  return Float64Array.from(openTimes(y.length, m, closed), (t) => y[t]!);
}

/** A model fitted on the open days of y, answering on y's calendar. */
function onCalendar(inner: Fitted, y: Float64Array, m: number, closed: boolean[]): Fitted {
  const n = y.length;
  const open = openTimes(n, m, closed);
  /** Open periods before time t (the compact series' index of t's origin). */
  const openBefore = (t: number): number => {
    let lo = 0;
    let hi = open.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (open[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const openSteps = (t: number, h: number): number => {
    let k = 0;
    for (let j = 0; j < h; j++) if (!closed[(t + j) % m]) k++;
    return k;
  };
  const expand = (t: number, h: number, compactOut: Float64Array, out: Float64Array): void => {
    let k = 0;
    for (let j = 0; j < h; j++) out[j] = closed[(t + j) % m] ? 0 : compactOut[k++]!;
  };
  const firstOrigin = open[Math.min(inner.firstOrigin, open.length - 1)] ?? n;
  return {
    model: inner.model,
    firstOrigin,
    extend: (longer) => onCalendar(inner.extend(openValues(longer, m, closed)), longer, m, closed),
    forecastFrom(t, h, out) {
      const k = openSteps(t, h);
      const c = new Float64Array(k);
      if (k > 0) inner.forecastFrom(openBefore(t), k, c);
      expand(t, h, c, out);
    },
    forecast(h) {
      const out = new Float64Array(h);
      const k = openSteps(n, h);
      expand(n, h, k > 0 ? inner.forecast(k) : new Float64Array(0), out);
      return out;
    },
    variance(h) {
      const k = openSteps(n, h);
      const v = k > 0 ? inner.variance(k) : new Float64Array(0);
      if (!v) return null;
      const out = new Float64Array(h);
      expand(n, h, v, out);
      return out;
    },
  };
}
