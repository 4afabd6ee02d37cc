/**
 * @module features/calendar
 * The calendar a daily demand model reads for each day: weekday, month, day of the month, whether
 * it is a public holiday of the shop's country, whether it falls in the Black Friday week or the
 * two Christmas weeks, and the days left to Christmas. One Float32Array, days x CALENDAR_COLUMNS,
 * UTC days from `start`: the calendar is known in advance, so forecast days have it too.
 *
 * Holidays come from `date-holidays` (its rules for about 200 countries ship inside the package:
 * nothing is downloaded); public and bank holidays count, observances (Mother's Day) do not.
 *
 * @example
 *   const c = buildCalendar(new Date('2011-12-01'), 40, holidayCountry('United Kingdom'));
 *   c.values[25 * c.cols + 3]; // 1: 2011-12-26, Boxing Day, is a UK bank holiday
 */
import { createRequire } from 'node:module';
import type HolidaysClass from 'date-holidays';

// Loaded on first use: the package parses its data for every country when it loads (about 0.2 s),
// which every CLI command would otherwise pay at start-up.
let holidaysModule: typeof HolidaysClass | undefined;
function Holidays(): typeof HolidaysClass {
  holidaysModule ??= createRequire(import.meta.url)('date-holidays') as typeof HolidaysClass;
  return holidaysModule;
}

export const CALENDAR_COLUMNS = [
  'weekday',
  'month',
  'day_of_month',
  'holiday',
  'black_friday_week',
  'christmas_weeks',
  'days_to_christmas',
] as const;

export interface Calendar {
  readonly start: Date;
  readonly days: number;
  readonly cols: number;
  readonly names: readonly string[];
  /** Row-major days x cols. weekday 0 = Monday; month 1..12. */
  readonly values: Float32Array;
  /** The ISO code whose holidays were used, or null (no holidays known: the column is 0). */
  readonly country: string | null;
}

const DAY = 86_400_000;

/**
 * The ISO 3166 code date-holidays knows for a country as a store records it: a code ('GB', 'gb') or
 * an English name ('United Kingdom'); null when it knows neither (the holiday column is then 0).
 */
export function holidayCountry(country: string | null | undefined): string | null {
  if (!country) return null;
  const known = new (Holidays())().getCountries('en');
  const code = country.trim().toUpperCase();
  if (code in known) return code;
  const name = country.trim().toLowerCase();
  for (const [c, n] of Object.entries(known)) if (n.toLowerCase() === name) return c;
  // Names the store may use that the package spells differently.
  const alias: Record<string, string> = {
    eire: 'IE',
    'united states of america': 'US',
    usa: 'US',
    uk: 'GB',
    'great britain': 'GB',
    'czech republic': 'CZ',
    rsa: 'ZA',
  };
  return alias[name] ?? null;
}

/** Black Friday of a year (UTC ms): the day after the fourth Thursday of November. */
export function blackFriday(year: number): number {
  const nov1 = Date.UTC(year, 10, 1);
  const weekday = new Date(nov1).getUTCDay(); // 0 = Sunday
  const firstThursday = 1 + ((4 - weekday + 7) % 7);
  return Date.UTC(year, 10, firstThursday + 21 + 1);
}

/** Public and bank holidays of a country in a year, as yyyy-mm-dd. */
function holidaysOf(hd: HolidaysClass, year: number): Set<string> {
  const out = new Set<string>();
  for (const h of hd.getHolidays(year)) {
    if (h.type === 'public' || h.type === 'bank') out.add(h.date.slice(0, 10));
  }
  return out;
}

export function buildCalendar(start: Date, days: number, country: string | null): Calendar {
  const cols = CALENDAR_COLUMNS.length;
  const values = new Float32Array(days * cols);
  const hd = country ? new (Holidays())(country) : null;
  const byYear = new Map<number, Set<string>>();
  const first = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  for (let d = 0; d < days; d++) {
    const t = first + d * DAY;
    const date = new Date(t);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const day = date.getUTCDate();
    if (hd && !byYear.has(year)) byYear.set(year, holidaysOf(hd, year));
    const bf = blackFriday(year);
    // The Black Friday week: Monday before it to Cyber Monday.
    const inBlackFriday = t >= bf - 4 * DAY && t <= bf + 3 * DAY;
    // The two weeks of Christmas shopping: 11 to 24 December.
    const inChristmas = month === 11 && day >= 11 && day <= 24;
    let christmas = Date.UTC(year, 11, 25);
    if (t > christmas) christmas = Date.UTC(year + 1, 11, 25);
    const row = d * cols;
    values[row] = (date.getUTCDay() + 6) % 7;
    values[row + 1] = month + 1;
    values[row + 2] = day;
    values[row + 3] = byYear.get(year)?.has(date.toISOString().slice(0, 10)) ? 1 : 0;
    values[row + 4] = inBlackFriday ? 1 : 0;
    values[row + 5] = inChristmas ? 1 : 0;
    values[row + 6] = Math.round((christmas - t) / DAY);
  }
  return { start: new Date(first), days, cols, names: CALENDAR_COLUMNS, values, country };
}
