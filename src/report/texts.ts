/**
 * @module report/texts
 * The report's words in English and Simplified Chinese, and Intl formatting for each language (in
 * UTC, with the store's currency), so the file reads the same wherever it is opened.
 */
export const REPORT_LANGS = ['en', 'zh-CN'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

const EN = {
  title: 'Shopsight report',
  generated: 'Made {at} from {orders} orders, {first} to {last}.',
  period: 'Period: {from} to {to} (compared with the {days} days before).',
  kpis: 'Key figures',
  netRevenue: 'Net revenue',
  orders: 'Orders',
  aov: 'Average order value',
  customers: 'Customers',
  newCustomers: 'New customers',
  repeatRate: 'Repeat purchase rate',
  vsPrevious: 'vs previous period',
  noPrevious: 'no earlier data to compare',
  revenueOverTime: 'Net revenue by week',
  countries: 'Top countries by net revenue',
  segments: 'RFM segments as of {day}',
  segment: 'Segment',
  share: 'Share',
  avgSpend: 'Avg. spend',
  rule: 'Rule',
  models: 'Models and their evidence',
  task: 'Task',
  version: 'Serving version',
  model: 'Model',
  metric: 'Metric',
  baseline: 'Baseline',
  protocol: 'How it was evaluated',
  noModels: 'No model is promoted yet (npx shopsight train customers, npx shopsight train recommend).',
  noOrders: 'The store has no orders yet.',
} as const;

export type ReportTextKey = keyof typeof EN;

const ZH: Record<ReportTextKey, string> = {
  title: 'Shopsight 报告',
  generated: '生成于 {at}，基于 {orders} 个订单（{first} 至 {last}）。',
  period: '时间段：{from} 至 {to}（与之前 {days} 天比较）。',
  kpis: '关键指标',
  netRevenue: '净收入',
  orders: '订单数',
  aov: '平均订单金额',
  customers: '客户数',
  newCustomers: '新客户',
  repeatRate: '复购率',
  vsPrevious: '对比上一时间段',
  noPrevious: '没有更早的数据可比较',
  revenueOverTime: '每周净收入',
  countries: '净收入最高的国家/地区',
  segments: 'RFM 分群（截至 {day}）',
  segment: '分群',
  share: '占比',
  avgSpend: '平均消费',
  rule: '规则',
  models: '模型及其评估',
  task: '任务',
  version: '服务版本',
  model: '模型',
  metric: '指标',
  baseline: '基线',
  protocol: '评估方法',
  noModels: '尚无上线的模型（npx shopsight train customers，npx shopsight train recommend）。',
  noOrders: '店铺还没有订单。',
};

export interface ReportFormat {
  readonly lang: ReportLang;
  t(key: ReportTextKey, vars?: Record<string, string | number>): string;
  money(x: number | null): string;
  num(x: number | null, digits?: number): string;
  pct(x: number | null): string;
  day(isoDay: string | null): string;
}

export function reportFormat(lang: ReportLang, currency: string): ReportFormat {
  const texts: Record<ReportTextKey, string> = lang === 'zh-CN' ? ZH : EN;
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(lang, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    lang,
    t: (key, vars) =>
      texts[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`)),
    money: (x) => (x === null ? '–' : money.format(x)),
    num: (x, digits = 0) =>
      x === null ? '–' : new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(x),
    pct: (x) => (x === null ? '–' : pct.format(x)),
    day: (d) => (d === null ? '–' : day.format(new Date(`${d.slice(0, 10)}T00:00:00Z`))),
  };
}
