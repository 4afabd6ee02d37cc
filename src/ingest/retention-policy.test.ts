import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDays, parseRetention, retentionPolicy } from './retention-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retention policy', () => {
  it('reads privacy.retention from YAML, flags overriding the file', () => {
    const file = join(dir, 'shopsight.yaml');
    writeFileSync(file, 'privacy:\n  retention:\n    events_days: 400\n    quarantine_days: 90\n');
    expect(retentionPolicy({ file })).toEqual({ eventsDays: 400, quarantineDays: 90 });
    expect(retentionPolicy({ file, flags: { eventsDays: '30' } })).toEqual({
      eventsDays: 30,
      quarantineDays: 90,
    });
    expect(parseRetention({ other: 1 }, 'x.json')).toEqual({});
  });

  it('refuses negative, zero, fractional, absurd and unknown settings, naming the file and key', () => {
    expect(() => checkDays('-5', '--events-days')).toThrow(
      '--events-days: -5 days would delete everything or nothing sensible; use 1 or more',
    );
    expect(() => checkDays(0, 'f')).toThrow('f: 0 days would delete everything');
    expect(() => checkDays('2.5', 'f')).toThrow('f: a whole number of days is needed, got 2.5');
    expect(() => checkDays('ninety', 'f')).toThrow('f: a number of days is needed, got "ninety"');
    expect(() => checkDays(36_501, 'f')).toThrow('f: 36501 days is over 100 years (36500)');
    expect(checkDays(36_500, 'f')).toBe(36_500);
    expect(() => parseRetention({ privacy: { retention: { events_days: 1e9 } } }, 'p.json')).toThrow(
      /^p\.json: privacy\.retention\.events_days: 1000000000 days is over 100 years/,
    );
    expect(() => parseRetention({ privacy: { retention: { event_days: 3 } } }, 'p.json')).toThrow(
      'p.json: privacy.retention.event_days: unknown setting (known: events_days, quarantine_days)',
    );
  });
});
