/**
 * Overview: the shop in a minute. KPI cards with change against the period before, revenue over
 * time (day/week/month), countries, categories and top products, all for the period in the URL.
 */
import { Card, Col, Row, Segmented, Space, Table } from 'antd';
import { useMemo } from 'react';
import { useApi } from '../../api/use-api';
import type { CategoriesBody, CountriesBody, KpisBody, ProductsBody, SeriesBody } from '../../api/types';
import { useStore } from '../../app/store';
import { Chart, type ChartOption } from '../../components/Chart';
import { KpiCard } from '../../components/KpiCard';
import { ProductSalesTable } from '../../components/ProductSalesTable';
import { PeriodFilter } from '../../components/PeriodFilter';
import { change, dataEnd, daysBetween, periodFrom, type Period } from '../../components/period';
import { EmptyState, Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n, type I18n } from '../../i18n/i18n';
import { BUCKETS, bucketFrom, overviewRequests, type Bucket } from './requests';

export default function OverviewPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const store = useStore();
  const [params, set] = useUrlState();
  const period = periodFrom(params, store);
  const by = bucketFrom(params);
  if (!period) return <EmptyState hint={t('overview.empty')} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <PeriodFilter period={period} min={store.firstOrderAt?.slice(0, 10)} max={dataEnd(store)} />
      <Kpis period={period} />
      <Card
        title={t('overview.revenueOverTime')}
        extra={
          <Segmented
            data-testid="bucket"
            value={by}
            options={BUCKETS.map((b) => ({ value: b, label: t(`filter.${b}`) }))}
            onChange={(v) => set({ by: String(v) })}
          />
        }
      >
        <Series period={period} by={by} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('overview.countries')}>
            <Countries period={period} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('overview.categories')}>
            <Categories period={period} />
          </Card>
        </Col>
      </Row>
      <Card title={t('overview.topProducts')}>
        <TopProducts period={period} i18n={i18n} />
      </Card>
    </Space>
  );
}

function Kpis({ period }: { period: Period }) {
  const i18n = useI18n();
  const { t, money, num, pct } = i18n;
  const requests = overviewRequests(period);
  const now = useApi<KpisBody>(...requests.kpis);
  const before = useApi<KpisBody>(...requests.kpisBefore);
  const store = useStore();
  // The period before the store's first order has nothing to compare with.
  const comparable =
    store.firstOrderAt !== null && store.firstOrderAt.slice(0, 10) <= requests.kpisBefore[1].from;
  const label = t('overview.vsPrevious', { days: daysBetween(period) });
  return (
    <Loaded state={now} isEmpty={(k) => k.orders === 0} emptyHint={t('overview.empty')} rows={2}>
      {(k) => {
        const b = comparable ? before.data : undefined;
        const cards: [string, string, number | null, number | null | undefined][] = [
          ['netRevenue', money(k.net_revenue), k.net_revenue, b?.net_revenue],
          ['orders', num(k.orders), k.orders, b?.orders],
          ['aov', money(k.aov), k.aov, b?.aov],
          ['customers', num(k.customers), k.customers, b?.customers],
          ['newCustomers', num(k.new_customers), k.new_customers, b?.new_customers],
          ['repeatRate', pct(k.repeat_purchase_rate), k.repeat_purchase_rate, b?.repeat_purchase_rate],
        ];
        return (
          <Row gutter={[16, 16]}>
            {cards.map(([key, shown, value, previous]) => (
              <Col xs={12} md={8} xl={4} key={key}>
                <KpiCard
                  testId={`kpi-${key}`}
                  title={t(`overview.${key}` as 'overview.orders')}
                  value={shown}
                  change={change(value, previous ?? null)}
                  compareLabel={label}
                />
              </Col>
            ))}
          </Row>
        );
      }}
    </Loaded>
  );
}

function Series(props: { period: Period; by: Bucket }) {
  const i18n = useI18n();
  const state = useApi<SeriesBody>(...overviewRequests(props.period, props.by).series);
  const option = useMemo((): ChartOption | null => {
    const s = state.data;
    if (!s) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.money(Number(v)) },
      grid: { left: 70, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: s.points.map((p) => i18n.day(p.bucket)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => i18n.num(v) } },
      series: [
        { type: 'bar', name: i18n.t('overview.netRevenue'), data: s.points.map((p) => p.net_revenue) },
      ],
    };
  }, [state.data, i18n]);
  return (
    <Loaded state={state} isEmpty={(s) => s.points.length === 0} emptyHint={i18n.t('overview.empty')}>
      {() => <Chart option={option!} testId="revenue-series" />}
    </Loaded>
  );
}

function Countries({ period }: { period: Period }) {
  const i18n = useI18n();
  const state = useApi<CountriesBody>(...overviewRequests(period).countries);
  const option = useMemo((): ChartOption | null => {
    const rows = state.data?.rows.slice(0, 10).reverse();
    if (!rows) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.money(Number(v)) },
      grid: { left: 130, right: 20, top: 10, bottom: 30 },
      xAxis: { type: 'log', axisLabel: { formatter: (v: number) => i18n.num(v) } },
      yAxis: { type: 'category', data: rows.map((r) => r.country) },
      series: [
        { type: 'bar', name: i18n.t('col.revenue'), data: rows.map((r) => Math.max(r.net_revenue, 1)) },
      ],
    };
  }, [state.data, i18n]);
  return (
    <Loaded state={state} isEmpty={(c) => c.rows.length === 0} emptyHint={i18n.t('overview.empty')}>
      {() => <Chart option={option!} testId="countries" />}
    </Loaded>
  );
}

function Categories({ period }: { period: Period }) {
  const i18n = useI18n();
  const state = useApi<CategoriesBody>(...overviewRequests(period).categories);
  return (
    <Loaded state={state} isEmpty={(c) => c.rows.length === 0} emptyHint={i18n.t('overview.empty')}>
      {(c) => (
        <Table
          size="small"
          rowKey="category"
          pagination={{ pageSize: 8, hideOnSinglePage: true }}
          dataSource={c.rows}
          columns={[
            { title: i18n.t('col.category'), dataIndex: 'category' },
            {
              title: i18n.t('col.revenue'),
              dataIndex: 'gross_revenue',
              align: 'right',
              render: (v: number) => i18n.money(v),
            },
            {
              title: i18n.t('col.share'),
              dataIndex: 'share',
              align: 'right',
              render: (v: number | null) => i18n.pct(v),
            },
            {
              title: i18n.t('col.orders'),
              dataIndex: 'orders',
              align: 'right',
              render: (v: number) => i18n.num(v),
            },
          ]}
        />
      )}
    </Loaded>
  );
}

function TopProducts(props: { period: Period; i18n: I18n }) {
  const { i18n } = props;
  const state = useApi<ProductsBody>(...overviewRequests(props.period).products);
  return (
    <Loaded state={state} isEmpty={(p) => p.by_revenue.length === 0} emptyHint={i18n.t('overview.empty')}>
      {(p) => <ProductSalesTable rows={p.by_revenue} testId="top-products" wide />}
    </Loaded>
  );
}
