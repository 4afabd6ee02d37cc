/**
 * @module generate/events
 * One browsing session at a time, written straight to events.csv: an optional search, product views
 * (popular products, the shopper's favourite category, the searched subcategory), add-to-cart on some
 * views, a few removals, and for buying sessions checkout -> purchase, which writes the order. Sessions
 * that were not meant to buy can still cart and even abandon a checkout, so the funnel narrows
 * (views >> carts >> purchases) as in real shops.
 *
 * The hot loop allocates nothing per event: the cart lives in preallocated typed arrays and every field
 * goes straight into the CSV writer's byte buffer.
 *
 * @example
 *   const sim = new SessionWriter(eventsCsv, orderWriter, clock, catalogue, rng, customerIdWidth);
 *   const { purchased } = sim.run(visitor, t0, true);
 */
import { TABLES } from '../schema/tables.js';
import { samplePool, type Catalogue, type ProductPool } from './catalogue.js';
import type { Clock } from './clock.js';
import type { CsvWriter } from './csv-writer.js';
import type { Cart, OrderWriter } from './orders.js';
import { writeOrderId } from './orders.js';
import type { Rng } from '../core/random.js';

const TYPE = {
  view: Buffer.from('view'),
  search: Buffer.from('search'),
  add: Buffer.from('add_to_cart'),
  remove: Buffer.from('remove_from_cart'),
  checkout: Buffer.from('checkout'),
  purchase: Buffer.from('purchase'),
};
/** `{"order_id":"O0000001"}` as a quoted CSV field, split around the order number. */
const ORDER_PROPS_HEAD = Buffer.from('"{""order_id"":""');
const ORDER_PROPS_TAIL = Buffer.from('""}"');

/** Mean seconds before each kind of event (exponential gaps, at least one second); a search opens the session. */
const GAP = { view: 40, add: 8, remove: 15, checkout: 50, purchase: 70 };
const MAX_CART_LINES = 12;

/** Who is browsing; set by the caller before `run`. */
export interface Visitor {
  /** Customer index, or -1 for a visitor without an account. */
  customer: number;
  /** Whether events carry customer_id (logged in) or only the anonymous cookie id. */
  loggedIn: boolean;
  /** Two 32-bit words of the cookie id (anonymous_id is their 16 hex digits). */
  cookieHi: number;
  cookieLo: number;
  /** Stable hash of the visitor for device/IP ids on orders. */
  visitorHash: number;
  country: number;
  /** Top category the visitor leans to, or -1 for none. */
  favouriteTop: number;
  /** Browsing via the app (else the website). */
  app: boolean;
  /** Visitors without an account browse less. */
  casual: boolean;
}

export class SessionWriter {
  /** Events and sessions written so far (ids are these counters, 1-based). */
  eventCount = 0;
  sessionCount = 0;
  private readonly cart: Cart = {
    product: new Int32Array(MAX_CART_LINES),
    quantity: new Int32Array(MAX_CART_LINES),
    length: 0,
  };
  private visitor!: Visitor;
  private t = 0;

  constructor(
    private readonly w: CsvWriter,
    private readonly orders: OrderWriter,
    private readonly clock: Clock,
    private readonly cat: Catalogue,
    private readonly rng: Rng,
    private readonly customerIdWidth: number,
  ) {}

  writeHeader(): void {
    // Every canonical column but request_id: a generated store served no recommendations, so no
    // event came back from one (the importer reads the column when a file has it).
    this.w.header(TABLES.events.columns.map((c) => c.name).filter((n) => n !== 'request_id'));
  }

  /**
   * Writes one session starting at `t0` (seconds, inside the window); `intent` sessions end in a purchase
   * unless the window closes first. `lastEventTime` afterwards says when the session ended.
   */
  run(visitor: Visitor, t0: number, intent: boolean): SessionResult {
    const { rng, cat, cart } = this;
    this.visitor = visitor;
    this.t = t0;
    this.sessionCount++;
    cart.length = 0;
    const casual = visitor.casual;
    // The first event happens at the session start itself, so first_seen_at is an event time.
    let focus: ProductPool | null = visitor.favouriteTop >= 0 ? cat.byTop[visitor.favouriteTop]! : null;
    let first = true;

    if (rng.chance(casual ? 0.2 : 0.3)) {
      const sub = cat.subOf[samplePool(focus ?? cat.popular, rng)]!;
      const phrases = cat.queries[sub]!;
      this.emit(TYPE.search, -1, phrases[rng.int(phrases.length)]!, -1);
      first = false;
      focus = cat.bySub[sub]!;
    }

    const views = 1 + rng.geometric(1 / (1 + (intent ? 4 : casual ? 1.2 : 2.5)));
    const addChance = intent ? 0.3 : casual ? 0.03 : 0.05;
    let lastViewed = -1;
    for (let v = 0; v < views; v++) {
      if (!this.advance(first ? 0 : GAP.view)) return RESULT_NONE;
      first = false;
      const p = focus !== null && rng.chance(0.5) ? samplePool(focus, rng) : samplePool(cat.popular, rng);
      lastViewed = p;
      this.emit(TYPE.view, p, null, -1);
      if (rng.chance(addChance) && !this.add(p)) return RESULT_NONE;
    }
    // A buying session buys at least what it looked at last.
    if (intent && cart.length === 0 && !this.add(lastViewed)) return RESULT_NONE;

    // Some lines are taken out again; a buying session keeps at least one.
    for (let k = cart.length - 1; k >= 0; k--) {
      if (intent && cart.length === 1) break;
      if (!rng.chance(intent ? 0.05 : 0.1)) continue;
      if (!this.advance(GAP.remove)) return RESULT_NONE;
      this.emit(TYPE.remove, cart.product[k]!, null, cart.quantity[k]! * cat.pricePence[cart.product[k]!]!);
      cart.product.copyWithin(k, k + 1, cart.length);
      cart.quantity.copyWithin(k, k + 1, cart.length);
      cart.length--;
    }

    if (cart.length === 0 || !(intent || rng.chance(0.25))) return RESULT_BROWSED;
    if (!this.advance(GAP.checkout)) return RESULT_NONE;
    this.emit(TYPE.checkout, -1, null, this.cartValue());
    if (!intent) return RESULT_BROWSED; // abandoned checkout
    if (!this.advance(GAP.purchase)) return RESULT_NONE;
    const total = this.orders.write(
      visitor.customer,
      visitor.visitorHash,
      visitor.country,
      visitor.app,
      this.t,
      cart,
    );
    this.emit(TYPE.purchase, -1, null, total, this.orders.count);
    return RESULT_BOUGHT;
  }

  /** Moves the session clock; false once the window has closed (the session is cut off there). */
  private advance(meanGap: number): boolean {
    if (meanGap > 0) this.t += 1 + Math.floor(this.rng.exponential() * meanGap);
    return this.t < this.clock.endSec;
  }

  /** Adds a product to the cart (or bumps its quantity) and writes the add_to_cart event. */
  private add(p: number): boolean {
    if (!this.advance(GAP.add)) return false;
    const { cart, rng } = this;
    const u = rng.float();
    const qty = u < 0.85 ? 1 : u < 0.95 ? 2 : 3 + rng.int(4);
    let k = 0;
    while (k < cart.length && cart.product[k] !== p) k++;
    if (k === cart.length) {
      if (cart.length === MAX_CART_LINES) return true; // cart full: the click does nothing
      k = cart.length++;
      cart.product[k] = p;
      cart.quantity[k] = 0;
    }
    cart.quantity[k]! += qty;
    this.emit(TYPE.add, p, null, qty * this.cat.pricePence[p]!);
    return true;
  }

  private cartValue(): number {
    let sum = 0;
    for (let k = 0; k < this.cart.length; k++)
      sum += this.cart.quantity[k]! * this.cat.pricePence[this.cart.product[k]!]!;
    return sum;
  }

  /** One events.csv row; product -1, query null, value -1 and order 0 mean empty fields. */
  private emit(
    type: Uint8Array,
    product: number,
    query: Uint8Array | null,
    valuePence: number,
    order = 0,
  ): void {
    const w = this.w;
    const v = this.visitor;
    w.byte(69); // 'E'
    w.padded(++this.eventCount, 10);
    w.comma();
    if (v.loggedIn) {
      w.byte(67); // 'C'
      w.padded(v.customer + 1, this.customerIdWidth);
      w.comma();
    } else {
      w.comma();
      w.hex32(v.cookieHi);
      w.hex32(v.cookieLo);
    }
    w.comma();
    w.byte(83); // 'S'
    w.padded(this.sessionCount, 9);
    w.comma();
    w.raw(type);
    w.comma();
    if (product >= 0) w.raw(this.cat.idBytes[product]!);
    w.comma();
    if (query !== null) w.raw(query);
    w.comma();
    if (valuePence >= 0) w.money(valuePence);
    w.comma();
    this.clock.write(w, this.t);
    w.comma();
    if (order > 0) {
      w.raw(ORDER_PROPS_HEAD);
      writeOrderId(w, order);
      w.raw(ORDER_PROPS_TAIL);
    }
    w.endRow();
  }

  /** Time of the last event written (valid after `run`). */
  get lastEventTime(): number {
    return this.t;
  }
}

/** How a session ended: whether it produced an order; `cutOff` when the window closed mid-session. */
export interface SessionResult {
  readonly purchased: boolean;
  readonly cutOff: boolean;
}
const RESULT_NONE: SessionResult = { purchased: false, cutOff: true };
const RESULT_BROWSED: SessionResult = { purchased: false, cutOff: false };
const RESULT_BOUGHT: SessionResult = { purchased: true, cutOff: false };
