/**
 * Overview: the shop in a minute. KPI cards with change against the period before, revenue over
 * time (day/week/month), countries, categories and top products, all for the period in the URL.
 */
import { Card, Col, Row, Segmented, Space, Table } from 'antd';
import { useEffect, useMemo } from 'react';
import { useApi } from '../../api/use-api';
import type { CategoriesBody, CountriesBody, KpisBody, ProductsBody, SeriesBody } from '../../api/types';
import { useStore } from '../../app/store';
import { Chart } from '../../components/Chart';
import { KpiCard } from '../../components/KpiCard';
import { ProductSalesTable } from '../../components/ProductSalesTable';
import { PeriodFilter } from '../../components/PeriodFilter';
import { dataEnd, periodFrom, type Period } from '../../components/period';
import { EmptyState, Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { overviewPartShown, releaseFirstView } from '../../first-view/handoff';
import { useI18n, type I18n } from '../../i18n/i18n';
import { changeText, comparable, countriesOption, kpiCards, seriesOption } from './figures';
import { BUCKETS, bucketFrom, overviewRequests, type Bucket } from './requests';

export default function OverviewPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const store = useStore();
  const [params, set] = useUrlState();
  const period = periodFrom(params, store);
  const by = bucketFrom(params);
  useEffect(() => {
    if (!period) releaseFirstView();
  }, [period]);
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
  const requests = overviewRequests(period);
  const now = useApi<KpisBody>(...requests.kpis);
  const before = useApi<KpisBody>(...requests.kpisBefore);
  const store = useStore();
  const compare = comparable(period, store.firstOrderAt);
  useEffect(() => {
    if (!now.loading) overviewPartShown('kpis');
  }, [now.loading]);
  return (
    <Loaded state={now} isEmpty={(k) => k.orders === 0} emptyHint={i18n.t('overview.empty')} rows={2}>
      {(k) => (
        <Row gutter={[16, 16]}>
          {kpiCards(k, compare ? before.data : undefined, i18n).map((card) => (
            <Col xs={12} md={8} xl={4} key={card.key}>
              <KpiCard
                testId={`kpi-${card.key}`}
                title={card.title}
                value={card.value}
                change={card.change}
                text={changeText(card.change, period, i18n)}
              />
            </Col>
          ))}
        </Row>
      )}
    </Loaded>
  );
}

function Series(props: { period: Period; by: Bucket }) {
  const i18n = useI18n();
  const state = useApi<SeriesBody>(...overviewRequests(props.period, props.by).series);
  const option = useMemo(() => (state.data ? seriesOption(state.data, i18n) : null), [state.data, i18n]);
  // Runs after the chart's own effect has drawn it: the first view may go.
  useEffect(() => {
    if (!state.loading) overviewPartShown('series');
  }, [state.loading]);
  return (
    <Loaded state={state} isEmpty={(s) => s.points.length === 0} emptyHint={i18n.t('overview.empty')}>
      {() => <Chart option={option!} testId="revenue-series" />}
    </Loaded>
  );
}

function Countries({ period }: { period: Period }) {
  const i18n = useI18n();
  const state = useApi<CountriesBody>(...overviewRequests(period).countries);
  const option = useMemo(() => (state.data ? countriesOption(state.data, i18n) : null), [state.data, i18n]);
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
