/**
 * @module assistant/ask/period
 * The time span a merchant's question names, read from its words: "in 2011", "in November 2011",
 * "in Q4 2011", "between 2011-01-01 and 2011-03-31", "last month|quarter|year". Relative spans count
 * back from the store's latest order (its "today"), not from the clock: "last quarter" is the
 * calendar quarter before the one holding the latest order. Spans are half-open [from, to), UTC.
 */

export interface Period {
  readonly from: Date;
  readonly to: Date;
  /** How the answer names it: "2011", "November 2011", "Q4 2011", "2011-01-01 to 2011-03-31". */
  readonly label: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const utc = (y: number, m: number, d = 1): Date => new Date(Date.UTC(y, m, d));

function monthIndex(word: string): number {
  const w = word.toLowerCase();
  return MONTHS.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w)));
}

/** The period in `question`, or undefined (all time). `latest` is the store's latest order time. */
export function readPeriod(question: string, latest: Date): Period | undefined {
  const q = question.toLowerCase();
  const between = /between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})/.exec(q);
  if (between) {
    const from = new Date(`${between[1]}T00:00:00Z`);
    const last = new Date(`${between[2]}T00:00:00Z`);
    if (Number.isNaN(from.getTime()) || Number.isNaN(last.getTime()) || last < from) return undefined;
    return { from, to: new Date(last.getTime() + 86_400_000), label: `${between[1]} to ${between[2]}` };
  }
  const quarter = /\bq([1-4])\s+(\d{4})\b/.exec(q);
  if (quarter) {
    const n = Number(quarter[1]);
    const y = Number(quarter[2]);
    return { from: utc(y, 3 * (n - 1)), to: utc(y, 3 * n), label: `Q${n} ${y}` };
  }
  const month =
    /\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\s+(\d{4})\b/.exec(
      q,
    );
  if (month) {
    const m = monthIndex(month[1]!);
    const y = Number(month[2]);
    return { from: utc(y, m), to: utc(y, m + 1), label: `${MONTH_NAMES[m]} ${y}` };
  }
  const year = /\b(?:in|during|for|of)\s+(\d{4})\b/.exec(q);
  if (year) {
    const y = Number(year[1]);
    return { from: utc(y, 0), to: utc(y + 1, 0), label: String(y) };
  }
  const y = latest.getUTCFullYear();
  const m = latest.getUTCMonth();
  if (/\blast month\b/.test(q)) {
    const from = utc(y, m - 1);
    return {
      from,
      to: utc(y, m),
      label: `last month (${MONTH_NAMES[from.getUTCMonth()]} ${from.getUTCFullYear()})`,
    };
  }
  if (/\blast quarter\b/.test(q)) {
    const startThis = 3 * Math.floor(m / 3);
    const from = utc(y, startThis - 3);
    const n = Math.floor(from.getUTCMonth() / 3) + 1;
    return { from, to: utc(y, startThis), label: `last quarter (Q${n} ${from.getUTCFullYear()})` };
  }
  if (/\blast year\b/.test(q)) return { from: utc(y - 1, 0), to: utc(y, 0), label: `last year (${y - 1})` };
  return undefined;
}

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
