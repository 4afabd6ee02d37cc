/**
 * @module schema/predictions
 * One row of the `customer_predictions` table (migration 2): what `shopsight predict customers`
 * stores for every customer who has bought, as of a day. docs/customer-intelligence.md explains
 * how to read each field.
 */

export const CHURN_RISKS = ['low', 'medium', 'high'] as const;
export type ChurnRisk = (typeof CHURN_RISKS)[number];
export const SPEND_TIER_NAMES = ['low', 'medium', 'high'] as const;
export type SpendTierName = (typeof SPEND_TIER_NAMES)[number];
/** The purchase model behind p_alive and the expected orders (docs/clv.md, "Which model is served"). */
export const PURCHASE_MODELS = ['bgnbd', 'paretonbd', 'nbd'] as const;
export type PurchaseModelName = (typeof PURCHASE_MODELS)[number];

export interface CustomerPrediction {
  readonly customer_id: string;
  /** Features were built from data strictly before this instant (midnight UTC). */
  readonly as_of: Date;
  /** Probability of no sales order in the next churn_horizon_days. */
  readonly churn_probability: number;
  readonly churn_risk: ChurnRisk;
  readonly churn_horizon_days: number;
  /** Probability of a sales order in the next purchase_horizon_days. */
  readonly purchase_probability: number;
  readonly purchase_horizon_days: number;
  /**
   * Probability that the customer is still active, from purchase_model (BG/NBD: 1 for one-time
   * buyers, by the model's design). null when no dropout model fits these data (purchase_model
   * 'nbd'); p_alive_unavailable then says why.
   */
  readonly p_alive: number | null;
  /** Why p_alive is null (the boundary checks of both dropout models), or null when it is given. */
  readonly p_alive_unavailable: string | null;
  /** bgnbd, paretonbd, or nbd (no dropout: BG/NBD and Pareto/NBD both on the boundary). */
  readonly purchase_model: PurchaseModelName;
  /** Expected purchase days in the next 365 days (purchase_model). */
  readonly expected_orders_365d: number;
  /** Expected spend in the next 365 days, undiscounted (purchase_model x Gamma-Gamma). */
  readonly expected_spend_365d: number;
  /** Expected spend in the next 365 days discounted at 1% per 30 days. */
  readonly clv_365d: number;
  readonly spend_tier: SpendTierName;
  /** Expected next order; null when fewer than one order is expected within two years. */
  readonly next_order_at: Date | null;
  /** Top 3 reasons behind the churn probability, in words. */
  readonly churn_reasons: string[];
  /** Top 3 reasons behind the purchase probability, in words. */
  readonly purchase_reasons: string[];
  /** The registry model ids that produced the row, e.g. { churn: 'churn@3', ... }. */
  readonly models: Record<string, string>;
  readonly predicted_at: Date;
}
