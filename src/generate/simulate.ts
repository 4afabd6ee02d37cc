/**
 * @module generate/simulate
 * The event loop of the synthetic shop. Every customer (and one aggregate stream of visitors without an
 * account) has a next-visit time in a min-heap; the loop takes the earliest, writes that session, decides
 * whether the customer drops out, and schedules the next visit on the seasonal intensity clock. Output
 * therefore comes in time order and memory is O(customers), whatever the number of events.
 *
 * @example
 *   const counts = await simulate({ rng, cat, pop, clock, season, currency: 'GBP' }, writers);
 */
import type { Catalogue } from './catalogue.js';
import type { Clock } from './clock.js';
import type { CsvWriter } from './csv-writer.js';
import { COUNTRY_TABLE, customerHash, type Population } from './customers.js';
import { SessionWriter, type Visitor } from './events.js';
import { TimeHeap } from './heap.js';
import { OrderWriter } from './orders.js';
import { hash32, type Rng } from '../core/random.js';
import type { Seasonality } from './seasonality.js';

/** A new customer's first visit buys more often than later ones (many sign up to buy). */
const FIRST_VISIT_CONVERSION = 0.3;
/** Share of a known customer's non-buying visits made while logged in (the rest are anonymous). */
const LOGGED_IN_SHARE = 0.75;
/** Chance that a customer who never buys stops visiting after a visit. */
const BROWSE_DROPOUT = 0.02;
/** A new session starts no sooner than 30 minutes after the previous one ended (the usual session cut). */
const MIN_SESSION_GAP_S = 1800;
/** Sessions per nominal day of visitors without an account, per customer of the shop. */
const ANONYMOUS_SESSIONS_PER_CUSTOMER_DAY = 0.015;
/** Visitors without an account who check out as guests. */
const GUEST_CONVERSION = 0.012;
const APP_SHARE = 0.35;
const COOKIE_SALT_HI = 0x3c6ef372;
const COOKIE_SALT_LO = 0x7f4a7c15;
const VISITOR_SALT = 0x61c88647;

export interface SimulationInput {
  rng: Rng;
  cat: Catalogue;
  pop: Population;
  clock: Clock;
  season: Seasonality;
  currency: string;
  /** Called now and then with the share of the window simulated and the events written. */
  onProgress?: (fraction: number, events: number) => void;
}

export interface SimulationWriters {
  events: CsvWriter;
  orders: CsvWriter;
  items: CsvWriter;
}

export interface SimulationCounts {
  sessions: number;
  events: number;
  orders: number;
}

export async function simulate(input: SimulationInput, out: SimulationWriters): Promise<SimulationCounts> {
  const { rng, cat, pop, clock, season } = input;
  const orders = new OrderWriter(out.orders, out.items, clock, cat, rng, input.currency, pop.idWidth);
  const sessions = new SessionWriter(out.events, orders, clock, cat, rng, pop.idWidth);
  orders.writeHeaders();
  sessions.writeHeader();

  const anonymous = pop.count; // heap id of the aggregate stream of visitors without an account
  const anonymousRate = Math.max(1, pop.count * ANONYMOUS_SESSIONS_PER_CUSTOMER_DAY);
  const visitorPool = Math.max(1000, 2 * pop.count);
  const heap = new TimeHeap(pop.count + 1);
  for (let i = 0; i < pop.count; i++) heap.push(pop.firstSeen[i]!, i); // already sorted: O(1) each
  const firstAnon = Math.floor(season.timeAt((rng.exponential() * 24) / anonymousRate));
  if (firstAnon < clock.endSec) heap.push(firstAnon, anonymous);
  const seen = new Uint8Array(pop.count);

  // One mutable visitor, refilled per session: no allocation in the loop.
  const v: Visitor = {
    customer: -1,
    loggedIn: false,
    cookieHi: 0,
    cookieLo: 0,
    visitorHash: 0,
    country: 0,
    favouriteTop: -1,
    app: false,
    casual: false,
  };

  let nextReport = 0;
  while (heap.size > 0) {
    const t = heap.peekTime();
    const who = heap.pop();
    let rate: number;
    let stays: boolean;
    if (who === anonymous) {
      const id = rng.int(visitorPool);
      v.customer = -1;
      v.loggedIn = false;
      v.cookieHi = hash32(id ^ VISITOR_SALT);
      v.cookieLo = hash32(v.cookieHi ^ COOKIE_SALT_LO);
      v.visitorHash = v.cookieLo;
      v.country = COUNTRY_TABLE.sample(rng);
      v.favouriteTop = -1;
      v.app = rng.chance(APP_SHARE / 2);
      v.casual = true;
      sessions.run(v, t, rng.chance(GUEST_CONVERSION));
      rate = anonymousRate;
      stays = true;
    } else {
      const first = seen[who] === 0;
      seen[who] = 1;
      const newcomer = first && pop.existing[who] === 0;
      const intent = rng.chance(newcomer ? FIRST_VISIT_CONVERSION : pop.conversion[who]!);
      v.customer = who;
      // The first visit is logged in so first_seen_at is a customer event; buyers log in to check out.
      v.loggedIn = first || intent || rng.chance(LOGGED_IN_SHARE);
      v.cookieHi = customerHash(who, COOKIE_SALT_HI);
      v.cookieLo = customerHash(who, COOKIE_SALT_LO);
      v.visitorHash = v.cookieHi;
      v.country = pop.country[who]!;
      v.favouriteTop = pop.favouriteTop[who]!;
      v.app = rng.chance(APP_SHARE);
      v.casual = false;
      const { purchased } = sessions.run(v, t, intent);
      rate = pop.visitRate[who]!;
      stays = !rng.chance(purchased ? pop.dropout[who]! : BROWSE_DROPOUT);
    }
    if (stays) {
      // Next visit: a Poisson process on the seasonal clock; a customer's sessions never overlap (the
      // aggregate anonymous stream is many visitors, so it has no such gap).
      const level = season.intensityAt(t) + (rng.exponential() * 24) / rate;
      let next = Math.floor(season.timeAt(level));
      if (who !== anonymous) next = Math.max(next, sessions.lastEventTime + MIN_SESSION_GAP_S);
      if (next < clock.endSec) heap.push(next, who);
    }

    if (out.events.needsDrain || out.orders.needsDrain || out.items.needsDrain) {
      await Promise.all([out.events.drain(), out.orders.drain(), out.items.drain()]);
    }
    if (input.onProgress && sessions.eventCount >= nextReport) {
      input.onProgress(t / clock.endSec, sessions.eventCount);
      nextReport = sessions.eventCount + 100_000;
    }
  }
  return { sessions: sessions.sessionCount, events: sessions.eventCount, orders: orders.count };
}
