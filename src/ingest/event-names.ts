/**
 * @module ingest/event-names
 * The event names people already send from product-analytics capture APIs (Segment's e-commerce
 * spec, PostHog, GA4, Snowplow, RetailRocket exports) mapped onto our EVENT_TYPES, so a storefront
 * can point its existing tracker at `POST /v1/events` without renaming its events.
 *
 * Names are compared after normalising: lower case, a leading `$` dropped, spaces, dots and hyphens
 * as underscores ("Product Viewed" = "product_viewed" = "product-viewed").
 *
 * @example
 *   eventTypeOf('Product Viewed', { hasProduct: true, hasRequestId: false }); // { type: 'view' }
 *   eventTypeOf('$pageview', { hasProduct: false, hasRequestId: false }).reason; // '... needs product_id ...'
 */
import { EVENT_TYPES, type EventType } from '../schema/tables.js';

/** Each alias (normalised) and the type it means. Our own type names map to themselves. */
const ALIASES: Readonly<Record<EventType, readonly string[]>> = {
  view: ['product_viewed', 'product_view', 'viewed_product', 'view_item', 'detail', 'product_detail'],
  search: ['products_searched', 'product_searched', 'searched', 'search_performed', 'view_search_results'],
  add_to_cart: ['product_added', 'added_to_cart', 'addtocart', 'cart_add', 'add_item_to_cart'],
  remove_from_cart: ['product_removed', 'removed_from_cart', 'cart_remove', 'removefromcart'],
  checkout: ['checkout_started', 'begin_checkout', 'initiate_checkout', 'checkout_step_viewed'],
  purchase: ['order_completed', 'completed_order', 'order_placed', 'transaction', 'purchased'],
  recommendation_click: ['recommendation_clicked', 'rec_click', 'recommended_product_clicked'],
};

/** Page views count as product views only when they name a product (a home page view is not one). */
const PAGE_VIEWS = ['pageview', 'page_view', 'page_viewed', 'screen', 'screen_view'];
/** A product click is a recommendation click when it says which recommendation it came from. */
const PRODUCT_CLICKS = ['product_clicked', 'select_item'];

const TYPE_BY_NAME: ReadonlyMap<string, EventType> = new Map(
  EVENT_TYPES.flatMap((t) => [[t, t] as const, ...ALIASES[t].map((a) => [a, t] as const)]),
);

/** Types that say nothing without the product they concern. */
export const PRODUCT_EVENT_TYPES: ReadonlySet<EventType> = new Set([
  'add_to_cart',
  'remove_from_cart',
  'recommendation_click',
]);

export function normaliseEventName(name: string): string {
  return name
    .trim()
    .replace(/^\$/, '')
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
}

export type EventTypeMatch = { readonly type: EventType } | { readonly reason: string };

/** One line listing what is understood, for rejection messages. */
export const KNOWN_EVENT_NAMES =
  `${EVENT_TYPES.join(', ')} (and the usual aliases: ` +
  `${['Product Viewed', '$pageview with a product_id', 'Product Added', 'Product Removed', 'Checkout Started', 'Order Completed', 'Products Searched', 'Product Clicked with a request_id'].join(', ')})`;

export function eventTypeOf(
  name: string,
  context: { readonly hasProduct: boolean; readonly hasRequestId: boolean },
): EventTypeMatch {
  // Most trackers send one of the names as it is: no normalising (three regular expressions) then.
  const key = TYPE_BY_NAME.has(name) ? name : normaliseEventName(name);
  const direct = TYPE_BY_NAME.get(key);
  if (direct) return { type: direct };
  if (PAGE_VIEWS.includes(key)) {
    return context.hasProduct
      ? { type: 'view' }
      : {
          reason: `'${name}' without a product_id is not a product view; only product page views are stored`,
        };
  }
  if (PRODUCT_CLICKS.includes(key)) {
    return context.hasRequestId
      ? { type: 'recommendation_click' }
      : {
          reason: `'${name}' without a request_id is not a recommendation click; send the product page view as 'view'`,
        };
  }
  return { reason: `unknown event name '${name}'; known: ${KNOWN_EVENT_NAMES}` };
}
