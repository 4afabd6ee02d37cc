/**
 * @module generate/customers
 * The customer population as typed arrays (one slot per customer, no objects), with the latent traits that
 * drive behaviour:
 * - visit rate: Gamma-distributed across customers, so purchases are gamma-Poisson (NBD) heterogeneous;
 * - conversion: Beta-distributed chance that a visit ends in a purchase;
 * - dropout: after each purchase a customer leaves for good with a Beta-distributed probability (the
 *   BG/NBD story), and a small per-visit chance for those who never buy;
 * - country with a home-market skew, a favourite top category, an acquisition time.
 * Customer ids are given in order of first appearance, so C000001 is the oldest customer.
 *
 * @example
 *   const pop = buildPopulation(rng, 1000, seasonality, catalogue.topWeights);
 */
import { TABLES } from '../schema/tables.js';
import { csvField } from '../core/csv.js';
import type { CsvWriter } from './csv-writer.js';
import type { Clock } from './clock.js';
import { AliasTable, hash32, type Rng } from '../core/random.js';
import type { Seasonality } from './seasonality.js';

/** ISO 3166 codes with a UK home-market skew, as for a UK shop selling abroad. */
export const COUNTRIES = [
  'GB',
  'US',
  'IE',
  'DE',
  'FR',
  'NL',
  'ES',
  'AU',
  'CA',
  'SE',
  'IT',
  'BE',
  'CH',
  'DK',
  'NO',
];
const COUNTRY_WEIGHTS = [62, 8, 5, 5, 5, 3, 2.5, 2.5, 2, 1.5, 1.5, 1, 0.5, 0.3, 0.2];
export const COUNTRY_TABLE = new AliasTable(COUNTRY_WEIGHTS);
export const COUNTRY_BYTES = COUNTRIES.map((c) => Buffer.from(c, 'ascii'));

/** Visit-rate distribution: Gamma(shape, mean) in sessions per nominal day. */
export const VISIT_RATE_SHAPE = 0.7;
export const VISIT_RATE_MEAN = 0.05;
/** Share of customers already on the books when the window opens (they show up early). */
const EXISTING_SHARE = 0.3;

const FIRST_NAMES = [
  'alex',
  'sam',
  'jo',
  'chris',
  'kim',
  'lee',
  'pat',
  'robin',
  'max',
  'charlie',
  'nico',
  'jamie',
];
const LAST_NAMES = [
  'smith',
  'jones',
  'taylor',
  'brown',
  'williams',
  'wilson',
  'evans',
  'patel',
  'khan',
  'murphy',
];
const ATTRIBUTES = [
  { signup_channel: 'organic', newsletter: true },
  { signup_channel: 'organic', newsletter: false },
  { signup_channel: 'paid_search', newsletter: false },
  { signup_channel: 'social', newsletter: true },
  { signup_channel: 'referral', newsletter: true },
].map((a) => csvField(JSON.stringify(a)));

export interface Population {
  readonly count: number;
  /** Zero-padded width of the numeric part of customer ids. */
  readonly idWidth: number;
  /** First session, seconds after the window start; ascending by customer index. */
  readonly firstSeen: Float64Array;
  /** 1 if the customer was on the books before the window (their first visit here is an ordinary one). */
  readonly existing: Uint8Array;
  /** Sessions per nominal day (before seasonality). */
  readonly visitRate: Float64Array;
  /** Chance a later visit ends in a purchase. */
  readonly conversion: Float32Array;
  /** Chance of leaving for good after a purchase. */
  readonly dropout: Float32Array;
  readonly country: Uint8Array;
  readonly favouriteTop: Uint8Array;
}

export function buildPopulation(
  rng: Rng,
  count: number,
  season: Seasonality,
  topWeights: readonly number[],
): Population {
  // Existing customers appear within the first weeks (their next visit); new ones arrive with the
  // seasonal traffic. Times are drawn on the intensity clock, then sorted so ids follow first appearance;
  // the sort key is 2 * time + existing, which carries the flag through the numeric sort.
  const keys = new Float64Array(count);
  const earlyLevel = Math.min(season.total / 4, 30 * 24);
  for (let i = 0; i < count; i++) {
    const existing = rng.chance(EXISTING_SHARE);
    const level = existing ? rng.float() * earlyLevel : rng.float() * season.total;
    keys[i] = 2 * Math.floor(season.timeAt(level)) + (existing ? 1 : 0);
  }
  keys.sort();
  const firstSeen = new Float64Array(count);
  const existing = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    firstSeen[i] = Math.floor(keys[i]! / 2);
    existing[i] = keys[i]! % 2;
  }
  const topTable = new AliasTable(topWeights);
  const pop: Population = {
    count,
    idWidth: Math.max(6, String(count).length),
    firstSeen,
    existing,
    visitRate: new Float64Array(count),
    conversion: new Float32Array(count),
    dropout: new Float32Array(count),
    country: new Uint8Array(count),
    favouriteTop: new Uint8Array(count),
  };
  for (let i = 0; i < count; i++) {
    pop.visitRate[i] = rng.gamma(VISIT_RATE_SHAPE, VISIT_RATE_MEAN / VISIT_RATE_SHAPE);
    pop.conversion[i] = rng.beta(1.5, 12);
    pop.dropout[i] = rng.beta(0.8, 2.6);
    pop.country[i] = COUNTRY_TABLE.sample(rng);
    pop.favouriteTop[i] = topTable.sample(rng);
  }
  return pop;
}

/** Stable pseudo-random 32-bit words for a customer's cookie and device ids. */
export function customerHash(index: number, salt: number): number {
  return hash32(Math.imul(index + 1, 0x9e3779b1) ^ salt);
}

const capitalised = (name: string): string => name[0]!.toUpperCase() + name.slice(1);

/** customers.csv in canonical column order. */
export async function writeCustomers(w: CsvWriter, pop: Population, clock: Clock, rng: Rng): Promise<void> {
  w.header(TABLES.customers.columns.map((c) => c.name));
  for (let i = 0; i < pop.count; i++) {
    if (w.needsDrain) await w.drain();
    w.byte(67); // 'C'
    w.padded(i + 1, pop.idWidth);
    w.comma();
    // A few customers never gave an address (guest-converted accounts, imports): email and name stay null.
    let first: string | undefined;
    let last: string | undefined;
    if (rng.chance(0.98)) {
      first = FIRST_NAMES[rng.int(FIRST_NAMES.length)]!;
      last = LAST_NAMES[rng.int(LAST_NAMES.length)]!;
      w.ascii(first);
      w.byte(46);
      w.ascii(last);
      w.uint(i + 1);
      w.ascii('@example.com');
    }
    w.comma();
    clock.write(w, pop.firstSeen[i]!);
    w.comma();
    w.raw(COUNTRY_BYTES[pop.country[i]!]!);
    w.comma();
    w.ascii(ATTRIBUTES[rng.int(ATTRIBUTES.length)]!);
    // signup_at: unknown for generated customers (first_seen_at is their first visit); an empty
    // field keeps the row as wide as the header the schema gives.
    w.comma();
    // first_name, last_name: the names the e-mail was made of, capitalised (no extra draw, so every
    // other file of a seed is what it was before the name columns).
    w.comma();
    if (first) w.ascii(capitalised(first));
    w.comma();
    if (last) w.ascii(capitalised(last));
    w.endRow();
  }
}
