import { describe, expect, it } from 'vitest';
import { blackFriday, buildCalendar, CALENDAR_COLUMNS, holidayCountry } from './calendar.js';

const col = (name: (typeof CALENDAR_COLUMNS)[number]): number => CALENDAR_COLUMNS.indexOf(name);

describe('the demand calendar', () => {
  it('resolves a country as stores record it: a code, an English name, or nothing known', () => {
    expect(holidayCountry('GB')).toBe('GB');
    expect(holidayCountry('gb')).toBe('GB');
    expect(holidayCountry('United Kingdom')).toBe('GB');
    expect(holidayCountry('France')).toBe('FR');
    expect(holidayCountry('EIRE')).toBe('IE');
    expect(holidayCountry('UK')).toBe('GB');
    expect(holidayCountry('Atlantis')).toBeNull();
    expect(holidayCountry(null)).toBeNull();
  });

  it('Black Friday: the day after the fourth Thursday of November', () => {
    expect(new Date(blackFriday(2011)).toISOString().slice(0, 10)).toBe('2011-11-25');
    expect(new Date(blackFriday(2024)).toISOString().slice(0, 10)).toBe('2024-11-29');
    expect(new Date(blackFriday(2026)).toISOString().slice(0, 10)).toBe('2026-11-27');
  });

  it('UK 2011, from 1 April: weekday, month, holidays, Black Friday week, Christmas weeks, days to Christmas', () => {
    const start = new Date('2011-04-01T00:00:00Z');
    const c = buildCalendar(start, 280, 'GB');
    const at = (iso: string, name: (typeof CALENDAR_COLUMNS)[number]): number => {
      const d = Math.round((Date.parse(`${iso}T00:00:00Z`) - start.getTime()) / 86_400_000);
      return c.values[d * c.cols + col(name)]!;
    };
    expect(at('2011-04-01', 'weekday')).toBe(4); // a Friday (0 = Monday)
    expect(at('2011-04-01', 'month')).toBe(4);
    expect(at('2011-12-09', 'day_of_month')).toBe(9);
    // Good Friday, Easter Monday, the early May bank holiday; the day before Good Friday is not one.
    expect(at('2011-04-22', 'holiday')).toBe(1);
    expect(at('2011-04-25', 'holiday')).toBe(1);
    expect(at('2011-05-02', 'holiday')).toBe(1);
    expect(at('2011-04-21', 'holiday')).toBe(0);
    expect(at('2011-12-26', 'holiday')).toBe(1);
    // Black Friday 25 November: the week from Monday 21 to Cyber Monday 28.
    expect(at('2011-11-20', 'black_friday_week')).toBe(0);
    expect(at('2011-11-21', 'black_friday_week')).toBe(1);
    expect(at('2011-11-28', 'black_friday_week')).toBe(1);
    expect(at('2011-11-29', 'black_friday_week')).toBe(0);
    expect(at('2011-12-10', 'christmas_weeks')).toBe(0);
    expect(at('2011-12-11', 'christmas_weeks')).toBe(1);
    expect(at('2011-12-24', 'christmas_weeks')).toBe(1);
    expect(at('2011-12-25', 'days_to_christmas')).toBe(0);
    expect(at('2011-12-20', 'days_to_christmas')).toBe(5);
    expect(at('2011-12-26', 'days_to_christmas')).toBe(365); // to 25 December 2012, a leap year
  });

  it('no known country: no holidays, the rest of the calendar as usual', () => {
    const c = buildCalendar(new Date('2011-12-26T00:00:00Z'), 1, null);
    expect(c.country).toBeNull();
    expect(c.values[col('holiday')]).toBe(0);
    expect(c.values[col('weekday')]).toBe(0);
  });
});
