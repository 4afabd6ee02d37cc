/** The API's answers as the pages read them (snake_case, docs/server.md and the OpenAPI document). */
/** GET /v1/analytics/range: the span of the store's orders and its currency. */
export interface RangeBody {
  first_order_at: string | null;
  last_order_at: string | null;
  orders: number;
  currency: string | null;
}

export interface PeriodBody {
  from: string | null;
  to: string | null;
}

export interface KpisBody {
  period: PeriodBody;
  gross_revenue: number;
  net_revenue: number;
  orders: number;
  aov: number | null;
  customers: number;
  new_customers: number;
  repeat_purchase_rate: number | null;
}

export interface SeriesBody {
  granularity: 'day' | 'week' | 'month';
  points: { bucket: string; orders: number; gross_revenue: number; net_revenue: number; customers: number }[];
}

export interface CountriesBody {
  rows: { country: string; orders: number; net_revenue: number; customers: number; share: number | null }[];
}

export interface CategoriesBody {
  rows: {
    category: string;
    merchandise: boolean;
    gross_revenue: number;
    units: number;
    orders: number;
    share: number | null;
  }[];
}

export interface ProductSales {
  product_id: string;
  title: string | null;
  category: string | null;
  gross_revenue: number;
  units: number;
  orders: number;
}

export interface ProductsBody {
  by_revenue: ProductSales[];
  by_units: ProductSales[];
}

export interface SegmentsBody {
  as_of: string;
  scored_customers: number;
  prospects: number;
  segments: {
    segment: string;
    label: string;
    description: string;
    customers: number;
    share: number | null;
    avg_recency_days: number | null;
    avg_frequency: number | null;
    avg_monetary: number | null;
    monetary: number;
  }[];
}

export interface CustomerRow {
  customer_id: string;
  country: string | null;
  segment: string;
  segment_label: string;
  recency_days: number | null;
  last_order_at: string | null;
  orders: number;
  spend: number;
  r: number | null;
  f: number | null;
  m: number | null;
  churn_probability: number | null;
  churn_risk: 'low' | 'medium' | 'high' | null;
  purchase_probability: number | null;
  clv_365d: number | null;
  spend_tier: 'low' | 'medium' | 'high' | null;
}

export interface CustomersBody {
  as_of: string;
  total: number;
  page: number;
  page_size: number;
  sort: string;
  order: 'asc' | 'desc';
  predictions: { available: boolean; as_of: string | null; reason: string | null };
  customers: CustomerRow[];
}

export interface HistogramBin {
  from: number;
  to: number | null;
  customers: number;
}

export interface DistributionsBody {
  available: boolean;
  reason: string | null;
  as_of: string | null;
  predicted_at: string | null;
  customers: number;
  churn: {
    mean: number | null;
    bins: HistogramBin[];
    by_risk: { risk: 'low' | 'medium' | 'high'; customers: number }[];
  };
  clv: {
    total: number;
    mean: number | null;
    median: number | null;
    cap: number | null;
    bins: HistogramBin[];
    by_tier: { tier: 'low' | 'medium' | 'high'; customers: number; clv: number }[];
  };
}

export interface CohortsBody {
  months: number;
  cohorts: { cohort: string; size: number; active: number[]; retention: number[] }[];
}

export interface Recommendation {
  product_id: string;
  title: string | null;
  score: number;
  reason: string;
  rank: number;
}

export interface RecommendationsBody {
  items: Recommendation[];
  model_version: number | null;
  source: string;
  cold_start: boolean;
  note?: string;
}

export interface ProfileBody {
  customer_id: string;
  as_of: string;
  country: string | null;
  rfm: {
    segment: string;
    label: string;
    description: string;
    r: number | null;
    f: number | null;
    m: number | null;
  };
  lifecycle: { stage: string; reason: string };
  orders: {
    sales: number;
    first_order_at: string | null;
    last_order_at: string | null;
    spend: number;
    average_order_value: number | null;
  };
  predictions: {
    available: boolean;
    reason?: string;
    churn_probability?: number;
    churn_reasons?: string[];
    purchase_probability?: number;
    purchase_reasons?: string[];
    next_order_at?: string | null;
    clv_365d?: number;
    stale?: boolean;
    note?: string | null;
  };
  favourite_categories: { category: string; spend: number; share: number }[];
  recent_orders: { order_id: string; ordered_at: string; status: string; amount: number }[];
}

export interface ModelBody {
  model_id: string;
  task: string;
  version: number;
  kind: string;
  status: string;
  created_at: string;
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
}

export interface ModelsBody {
  models: ModelBody[];
  serving: Record<string, { version: number; model_id: string }>;
}

export interface JobBody {
  job_id: string;
  task: 'customers' | 'recommend';
  trigger: 'admin' | 'schedule' | 'start';
  promotion: 'always' | 'never' | 'if_not_worse';
  status: 'running' | 'succeeded' | 'failed';
  created_at: string;
  finished_at: string | null;
  options: Record<string, unknown>;
  steps: { label: string; ordinal: number; total: number; at: string }[];
  models: ModelBody[] | null;
  retrain:
    | {
        task: string;
        candidate: string;
        serving: string | null;
        promoted: boolean;
        reason: string;
        metric: string;
        candidate_metric: number | null;
        serving_metric: number | null;
      }[]
    | null;
  error: { name: string; message: string } | null;
}

export interface JobsBody {
  jobs: JobBody[];
}

export interface FeedbackRow {
  task: string;
  model_version: number | null;
  variant: string | null;
  impressions: number;
  clicks: number;
  ctr: number | null;
  conversion_rate: number | null;
  orders: number;
  revenue: number;
}

export interface ProportionTest {
  rate_a: number | null;
  rate_b: number | null;
  difference: number | null;
  ci: [number, number] | null;
  p_value: number | null;
  verdict: string;
  reason: string;
}

export interface FeedbackBody {
  window_days: number;
  rows: FeedbackRow[];
  comparisons: {
    task: string;
    compare_by: string;
    a: { arm: string; impressions: number };
    b: { arm: string; impressions: number };
    ctr: ProportionTest;
    conversion: ProportionTest;
  }[];
  notes: string[];
}

export interface ForecastPoint {
  date: string;
  forecast: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface ForecastsBody {
  version: number;
  level: string;
  granularity: string;
  measure: string;
  model_requested: string;
  horizon: number;
  history_end: string;
  created_at: string;
  series: { id: string; model: string; note: string | null; forecast: ForecastPoint[] }[];
}

export interface CopyBody {
  segment: string;
  language: string;
  subject: string;
  body: string;
  mode: 'model' | 'template';
  figures: Record<string, unknown>;
  notes: string[];
}

export interface AskBody {
  question: string;
  mode: 'model' | 'template';
  sql: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  summary: string;
  notes: string[];
}

interface RiskSummary {
  model_version: number | null;
  scored: number;
  held: number;
  scored_at: string | null;
  reason: string | null;
}

export interface RiskOrderRow {
  order_id: string;
  customer_id: string | null;
  ordered_at: string | null;
  country: string | null;
  total: number | null;
  score: number;
  model_score: number;
  action: 'hold' | 'allow' | null;
  held: boolean;
  reasons: string[];
  rules_hit: string[] | null;
}

export interface RiskOrdersBody extends RiskSummary {
  total: number;
  page: number;
  page_size: number;
  orders: RiskOrderRow[];
}

export interface RiskRatePoint {
  rate: number;
  threshold: number;
  orders: number;
  expected_precision: number | null;
  expected_recall: number | null;
}

export interface RiskRatesBody extends RiskSummary {
  model: string | null;
  labelled: boolean;
  review_rate: number | null;
  threshold: number | null;
  protocol: string | null;
  rates: RiskRatePoint[];
}

export interface UpliftModelRef {
  model_id: string;
  version: number;
  method: string | null;
  outcome: string | null;
  created_at: string;
}

export interface CampaignsBody {
  campaigns: {
    campaign_id: string;
    name: string | null;
    channel: string | null;
    starts_at: string | null;
    ends_at: string | null;
    control_variant: string | null;
    contacts: number;
    arms: { variant: string; contacts: number; is_control: boolean }[];
    uplift_model: UpliftModelRef | null;
  }[];
}

export interface CampaignArm {
  variant: string;
  contacts: number;
  known: { visit: number; conversion: number };
  successes: { visit: number; conversion: number };
  revenue_per_contact: number | null;
}

export interface CampaignTest {
  rate_a: number | null;
  rate_b: number | null;
  difference: number | null;
  p_value: number | null;
  confidence: number;
  ci: [number, number] | null;
  required_per_arm: number | null;
  verdict: string;
  reason: string;
}

export interface CampaignReportBody {
  campaign: string;
  control: CampaignArm;
  treated: CampaignArm[];
  comparisons: {
    treatment: string;
    outcomes: { visit: CampaignTest; conversion: CampaignTest };
    revenue: {
      mean_control: number;
      mean_treated: number;
      difference: number;
      ci: [number, number] | null;
      p_value: number;
    } | null;
  }[];
  alpha: number;
  alpha_per_test: number;
  method: string;
}

export interface TargetRow {
  rank: number;
  customer_id: string;
  treatment: string;
  uplift: number;
  expected_profit: number | null;
  reasons: string;
}

export interface TargetsBody {
  campaign: string;
  model: UpliftModelRef;
  outcome: string;
  budget: number;
  customers: number;
  budget_customers: number;
  listed: number;
  value_per_response: number | null;
  rows: TargetRow[];
}

interface SentimentCounts {
  reviews: number;
  positive: number;
  negative: number;
  negative_share: number | null;
}

export interface ReviewAspect {
  aspect: string;
  reviews: number;
  positive: number;
  negative: number;
  negative_share: number;
  examples: { positive: string[]; negative: string[] };
}

export interface ReviewInsightBody {
  scope: { product_id?: string; category?: string };
  reviews: number;
  scored: number;
  cannot_score: number;
  unscored: number;
  sentiment: SentimentCounts;
  average_rating: number | null;
  months: (SentimentCounts & { month: string })[];
  aspects: ReviewAspect[];
  comparison: {
    month: string | null;
    before: string[];
    alpha: number;
    turned_negative: {
      aspect: string;
      month: { mentions: number; negative: number; negative_share: number };
    }[];
    products: {
      product_id: string;
      title: string | null;
      verdict: string;
      reason: string;
      difference: number | null;
      p_value: number | null;
    }[];
    rising: string[];
  };
  note: string | null;
}

export interface ReviewCategoriesBody {
  categories: { category: string; reviews: number }[];
}
