/**
 * @module generate/orders
 * Turns a checked-out cart into one orders.csv row and its order_items.csv lines. Amounts are integer
 * pence throughout, so `total` is exactly the sum of quantity * unit_price (no float drift). The status
 * depends on the order's age at the end of the window: recent orders are still placed/paid, older ones
 * shipped, and a few are cancelled (any age) or returned (only once delivered). `status_changed_at`
 * says when the order took that status (paid 2 hours after ordering, shipped after 2 days, cancelled
 * within 2 days, returned 14 to 44 days after; never after the window end; empty for `placed`), so a
 * feature "as of" an earlier day sees the order as the sale it was then.
 *
 * @example
 *   const orders = new OrderWriter(ordersCsv, itemsCsv, clock, catalogue, rng, 'GBP', 6);
 *   const { orderNo, totalPence } = orders.write(customer, visitorHash, country, t, cart);
 */
import { TABLES } from '../schema/tables.js';
import type { Catalogue } from './catalogue.js';
import type { Clock } from './clock.js';
import type { CsvWriter } from './csv-writer.js';
import { COUNTRY_BYTES } from './customers.js';
import { hash32, type Rng } from '../core/random.js';

export const CANCELLED_SHARE = 0.03;
/** Share of delivered orders (older than RETURN_MIN_AGE_S) that come back. */
export const RETURNED_SHARE = 0.048;
const RETURN_MIN_AGE_S = 14 * 86_400;
const PLACED_MAX_AGE_S = 2 * 3600;
const PAID_MAX_AGE_S = 2 * 86_400;
/** Returns come back within this many seconds of the order (and not after the window end). */
const RETURN_MAX_AGE_S = 44 * 86_400;
/** Merchandise subtotal below which postage is charged, in pence. */
const FREE_POSTAGE_FROM = 4000;
const GIFT_WRAP_SHARE = 0.03;
const VOUCHER_SHARE = 0.06;
const VOUCHER_PENCE = 500;

/** Payment methods with their shares (cumulative thresholds below). */
const PAYMENT = ['card', 'paypal', 'apple_pay', 'klarna'].map((s) => Buffer.from(s, 'ascii'));
const PAYMENT_CUMULATIVE = [0.62, 0.84, 0.93, 1];
const STATUS = {
  placed: Buffer.from('placed'),
  paid: Buffer.from('paid'),
  shipped: Buffer.from('shipped'),
  cancelled: Buffer.from('cancelled'),
  returned: Buffer.from('returned'),
};
const CHANNEL_APP = Buffer.from('app');
const CHANNEL_WEB = Buffer.from('web');

/** A cart: parallel arrays of product index and quantity, `length` lines in use. */
export interface Cart {
  product: Int32Array;
  quantity: Int32Array;
  length: number;
}

export class OrderWriter {
  /** Orders written so far; the next order number is this + 1. */
  count = 0;
  /** Seconds after the order time at which the status just chosen was taken; -1 = at ordering. */
  private changedAfterS = -1;
  private readonly currency: Uint8Array;

  constructor(
    private readonly orders: CsvWriter,
    private readonly items: CsvWriter,
    private readonly clock: Clock,
    private readonly cat: Catalogue,
    private readonly rng: Rng,
    currency: string,
    private readonly customerIdWidth: number,
  ) {
    this.currency = Buffer.from(currency, 'ascii');
  }

  writeHeaders(): void {
    this.orders.header(TABLES.orders.columns.map((c) => c.name));
    this.items.header(TABLES.order_items.columns.map((c) => c.name));
  }

  /**
   * Writes the order placed at `t` for `cart` (non-empty) and returns the order total in pence.
   * @param customer customer index, or -1 for a guest checkout (customer_id stays null)
   * @param visitor stable hash of the visitor, for device and IP ids
   */
  write(customer: number, visitor: number, country: number, app: boolean, t: number, cart: Cart): number {
    const orderNo = ++this.count;
    const { cat, rng } = this;
    let merchandise = 0;
    for (let k = 0; k < cart.length; k++) {
      const p = cart.product[k]!;
      const q = cart.quantity[k]!;
      merchandise += q * cat.pricePence[p]!;
      this.line(orderNo, k + 1, p, q);
    }
    let total = merchandise;
    let lines = cart.length;
    if (merchandise < FREE_POSTAGE_FROM) {
      total += cat.pricePence[cat.postage]!;
      this.line(orderNo, ++lines, cat.postage, 1);
    }
    if (rng.chance(GIFT_WRAP_SHARE)) {
      total += cat.pricePence[cat.giftWrap]!;
      this.line(orderNo, lines + 1, cat.giftWrap, 1);
    }

    const w = this.orders;
    writeOrderId(w, orderNo);
    w.comma();
    if (customer >= 0) {
      w.byte(67); // 'C'
      w.padded(customer + 1, this.customerIdWidth);
    }
    w.comma();
    this.clock.write(w, t);
    w.comma();
    w.raw(this.status(this.clock.endSec - t, orderNo));
    w.comma();
    w.raw(this.currency);
    w.comma();
    w.money(total);
    w.comma();
    if (rng.chance(VOUCHER_SHARE)) w.money(Math.min(VOUCHER_PENCE, Math.floor(total / 5)));
    w.comma();
    w.raw(app ? CHANNEL_APP : CHANNEL_WEB);
    w.comma();
    w.raw(COUNTRY_BYTES[country]!);
    w.comma();
    w.raw(PAYMENT[paymentIndex(rng.float())]!);
    w.comma();
    // One device per channel per visitor; a handful of IP addresses per visitor.
    w.byte(68); // 'D'
    w.hex32(hash32(visitor ^ (app ? 0x5bd1e995 : 0x1b873593)));
    w.comma();
    const ip = hash32(visitor + rng.int(3) * 0x68e31da4);
    w.hex32(ip);
    w.hex32(hash32(ip ^ 0x2545f491));
    w.comma();
    if (this.changedAfterS >= 0) this.clock.write(w, t + this.changedAfterS);
    // fraud_label: not known for generated orders; an empty field keeps the row as wide as the header.
    w.comma();
    w.endRow();
    return total;
  }

  private line(orderNo: number, lineNo: number, product: number, quantity: number): void {
    const w = this.items;
    writeOrderId(w, orderNo);
    w.comma();
    w.uint(lineNo);
    w.comma();
    w.raw(this.cat.idBytes[product]!);
    w.comma();
    w.uint(quantity);
    w.comma();
    w.money(this.cat.pricePence[product]!);
    w.comma(); // line discount: not modelled, always null
    w.comma(); // line total: left null, the amount is quantity x unit price
    w.endRow();
  }

  /** The status at the window end and (in changedAfterS) when the order took it. */
  private status(ageS: number, orderNo: number): Uint8Array {
    const u = this.rng.float();
    // The change time comes from a hash of the order number, not from rng: drawing from rng here
    // would shift every later draw and change the whole store a seed gives.
    const v = hash32(orderNo ^ 0x27d4eb2f) / 2 ** 32;
    if (u < CANCELLED_SHARE) {
      this.changedAfterS = Math.floor(v * Math.min(ageS, PAID_MAX_AGE_S));
      return STATUS.cancelled;
    }
    if (ageS >= RETURN_MIN_AGE_S && u < CANCELLED_SHARE + RETURNED_SHARE) {
      const latest = Math.min(ageS, RETURN_MAX_AGE_S);
      this.changedAfterS = RETURN_MIN_AGE_S + Math.floor(v * (latest - RETURN_MIN_AGE_S));
      return STATUS.returned;
    }
    if (ageS < PLACED_MAX_AGE_S) {
      this.changedAfterS = -1;
      return STATUS.placed;
    }
    this.changedAfterS = PLACED_MAX_AGE_S;
    if (ageS < PAID_MAX_AGE_S) return STATUS.paid;
    // A few older orders wait for stock and stay paid.
    if (u > 0.97) return STATUS.paid;
    this.changedAfterS = PAID_MAX_AGE_S;
    return STATUS.shipped;
  }
}

/** Order ids: O + 7 digits (more once past 9,999,999 orders). */
export function writeOrderId(w: CsvWriter, orderNo: number): void {
  w.byte(79); // 'O'
  w.padded(orderNo, 7);
}

function paymentIndex(u: number): number {
  let i = 0;
  while (u >= PAYMENT_CUMULATIVE[i]!) i++;
  return i;
}
