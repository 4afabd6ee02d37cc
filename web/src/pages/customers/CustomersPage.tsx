/**
 * Customers: the churn-risk and CLV distributions of the stored predictions, the RFM segment map
 * (Shopify's segment names) as of a day with each rule, the searchable, sortable, paged customer
 * table (CustomerTable.tsx), the cohort retention heat map, and a box to open one customer's page.
 */
import { Card, Input, Space, Table } from 'antd';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import type { CohortsBody, SegmentsBody } from '../../api/types';
import { useApi, type ApiState } from '../../api/use-api';
import { Chart, type ChartOption } from '../../components/Chart';
import { Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n } from '../../i18n/i18n';
import { CustomerTable } from './CustomerTable';
import { Distributions } from './Distributions';

export default function CustomersPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useUrlState();
  const lang = params.get('lang');
  const segments = useApi<SegmentsBody>('/v1/segments');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Input.Search
        data-testid="open-customer"
        style={{ maxWidth: 360 }}
        placeholder={t('customers.openPlaceholder')}
        enterButton={t('customers.open')}
        onSearch={(id) =>
          id.trim() &&
          navigate(`/app/customers/${encodeURIComponent(id.trim())}${lang ? `?lang=${lang}` : ''}`)
        }
      />
      <Distributions />
      <Segments state={segments} />
      <CustomerTable segments={segments.data} />
      <Cohorts />
    </Space>
  );
}

function Segments(props: { state: ApiState<SegmentsBody> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = props.state;
  const option = useMemo((): ChartOption | null => {
    const s = state.data;
    if (!s) return null;
    return {
      tooltip: { formatter: (p: { name: string; value: number }) => `${p.name}: ${i18n.num(p.value)}` },
      series: [
        {
          type: 'treemap',
          roam: false,
          nodeClick: false,
          breadcrumb: { show: false },
          label: { show: true, formatter: '{b}\n{c}' },
          data: s.segments.filter((x) => x.customers > 0).map((x) => ({ name: x.label, value: x.customers })),
        },
      ],
    };
  }, [state.data, i18n]);
  return (
    <Card title={state.data ? t('customers.segments', { day: i18n.day(state.data.as_of) }) : ' '}>
      <Loaded
        state={state}
        isEmpty={(s) => s.scored_customers === 0}
        emptyHint={t('customers.segmentsEmpty')}
      >
        {(s) => (
          <>
            <Chart option={option!} height={300} testId="segments-map" />
            <Table
              size="small"
              rowKey="segment"
              pagination={false}
              data-testid="segments-table"
              dataSource={s.segments}
              columns={[
                { title: t('col.segment'), dataIndex: 'label' },
                {
                  title: t('col.customers'),
                  dataIndex: 'customers',
                  align: 'right',
                  render: (v: number) => i18n.num(v),
                },
                {
                  title: t('col.share'),
                  dataIndex: 'share',
                  align: 'right',
                  render: (v: number | null) => i18n.pct(v),
                },
                {
                  title: t('col.recency'),
                  dataIndex: 'avg_recency_days',
                  align: 'right',
                  render: (v: number | null) => (v === null ? '–' : i18n.num(v)),
                },
                {
                  title: t('col.avgOrders'),
                  dataIndex: 'avg_frequency',
                  align: 'right',
                  render: (v: number | null) => (v === null ? '–' : i18n.num(v, 1)),
                },
                {
                  title: t('col.avgSpend'),
                  dataIndex: 'avg_monetary',
                  align: 'right',
                  render: (v: number | null) => i18n.money(v),
                },
                { title: t('col.rule'), dataIndex: 'description' },
              ]}
            />
          </>
        )}
      </Loaded>
    </Card>
  );
}

function Cohorts() {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useApi<CohortsBody>('/v1/analytics/cohorts');
  const option = useMemo((): ChartOption | null => {
    const c = state.data;
    if (!c) return null;
    const months = Math.max(0, ...c.cohorts.map((x) => x.retention.length));
    const rows = [...c.cohorts].reverse();
    const data = rows.flatMap((row, y) => row.retention.map((r, x) => [x, y, Math.round(r * 1000) / 10]));
    return {
      tooltip: { formatter: (p: { value: number[] }) => `${p.value[2]}%` },
      grid: { left: 120, right: 20, top: 10, bottom: 60 },
      xAxis: {
        type: 'category',
        data: Array.from({ length: months }, (_, n) => t('customers.monthOffset', { n })),
      },
      yAxis: { type: 'category', data: rows.map((r) => `${i18n.month(r.cohort)} (${i18n.num(r.size)})`) },
      visualMap: {
        min: 0,
        max: 50,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        show: false,
      },
      series: [{ type: 'heatmap', data, label: { show: true, fontSize: 9 } }],
    };
  }, [state.data, i18n, t]);
  return (
    <Card title={t('customers.cohorts')}>
      <Loaded state={state} isEmpty={(c) => c.cohorts.length === 0} emptyHint={t('customers.cohortsEmpty')}>
        {() => <Chart option={option!} height={420} testId="cohorts" />}
      </Loaded>
    </Card>
  );
}
