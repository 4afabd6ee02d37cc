/**
 * Marketing: the store's campaigns (GET /v1/campaigns), the report of one (GET
 * /v1/campaigns/:id/report: each treatment against the control, the difference with its interval
 * and test) and the uplift target list for a budget (GET /v1/campaigns/:id/targets, scored on the
 * server's worker thread), asked only when the campaign has an uplift model. The campaign, the
 * budget and the cost and margin are in the URL.
 */
import { Card, Descriptions, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type {
  CampaignArm,
  CampaignReportBody,
  CampaignsBody,
  CampaignTest,
  TargetRow,
  TargetsBody,
} from '../../api/types';
import { useApi } from '../../api/use-api';
import { Chart, type ChartOption } from '../../components/Chart';
import { EmptyState, Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n, type I18n } from '../../i18n/i18n';

const DEFAULT_BUDGET = 0.3;

type Comparison = CampaignReportBody['comparisons'][number];

export default function MarketingPage() {
  const { t } = useI18n();
  const [params, set] = useUrlState();
  const campaigns = useApi<CampaignsBody>('/v1/campaigns');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('marketing.title')}
      </Typography.Title>
      <Loaded
        state={campaigns}
        isEmpty={(c) => c.campaigns.length === 0}
        emptyHint={t('marketing.noCampaigns')}
        rows={2}
      >
        {(c) => {
          const chosen = c.campaigns.find((x) => x.campaign_id === params.get('campaign')) ?? c.campaigns[0]!;
          return (
            <>
              <Space>
                {t('marketing.campaign')}
                <Select
                  data-testid="campaign-select"
                  style={{ minWidth: 240 }}
                  value={chosen.campaign_id}
                  options={c.campaigns.map((x) => ({
                    value: x.campaign_id,
                    label: x.name ? `${x.name} (${x.campaign_id})` : x.campaign_id,
                  }))}
                  onChange={(v: string) => set({ campaign: v })}
                />
              </Space>
              <Report id={chosen.campaign_id} />
              {chosen.uplift_model ? (
                <Targets id={chosen.campaign_id} />
              ) : (
                <Card title={t('marketing.targets')}>
                  <EmptyState hint={t('marketing.noModel', { id: chosen.campaign_id })} />
                </Card>
              )}
            </>
          );
        }}
      </Loaded>
    </Space>
  );
}

function Report(props: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useApi<CampaignReportBody>(`/v1/campaigns/${encodeURIComponent(props.id)}/report`);
  return (
    <Card title={t('marketing.report')} data-testid="campaign-report">
      <Loaded state={state} rows={6}>
        {(r) => <ReportBody report={r} />}
      </Loaded>
    </Card>
  );
}

/** '+4.15 pts (+3.34 … +4.96)': a difference of rates in percentage points with its interval. */
function points(i18n: I18n, x: number | null): string {
  if (x === null) return '–';
  return `${x >= 0 ? '+' : '−'}${i18n.num(Math.abs(x) * 100, 2)}`;
}

function testCell(i18n: I18n, test: CampaignTest) {
  const { t } = i18n;
  const ci = test.ci ? ` (${points(i18n, test.ci[0])} … ${points(i18n, test.ci[1])})` : '';
  return (
    <Space orientation="vertical" size={0}>
      <span data-role="difference">
        {t('marketing.pts', { x: points(i18n, test.difference) })}
        {ci}
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('marketing.pValue', { p: test.p_value === null ? '–' : test.p_value.toPrecision(2) })}
        {' · '}
        {t(`marketing.verdict.${test.verdict}` as 'marketing.verdict.too_small')}
      </Typography.Text>
    </Space>
  );
}

function ReportBody(props: { report: CampaignReportBody }) {
  const i18n = useI18n();
  const { t } = i18n;
  const r = props.report;
  const arms = [r.control, ...r.treated];
  const rate = (s: number, n: number) => (n ? s / n : null);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('marketing.visit'), t('marketing.conversion')] },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: arms.map((a) => a.variant) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => i18n.pct(v, 0) } },
      series: (['visit', 'conversion'] as const).map((o) => ({
        name: t(o === 'visit' ? 'marketing.visit' : 'marketing.conversion'),
        type: 'bar',
        data: arms.map((a) => rate(a.successes[o], a.known[o])),
      })),
    }),
    [arms, i18n, t],
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Table<CampaignArm>
        size="small"
        rowKey="variant"
        pagination={false}
        data-testid="campaign-arms"
        dataSource={arms}
        columns={[
          {
            title: t('marketing.variant'),
            dataIndex: 'variant',
            render: (v: string) =>
              v === r.control.variant ? (
                <>
                  {v} <Tag>{t('marketing.control')}</Tag>
                </>
              ) : (
                v
              ),
          },
          {
            title: t('marketing.contacts'),
            dataIndex: 'contacts',
            align: 'right',
            render: (v: number) => i18n.num(v),
          },
          {
            title: t('marketing.visit'),
            key: 'visit',
            align: 'right',
            render: (_: unknown, a) => i18n.pct(rate(a.successes.visit, a.known.visit), 2),
          },
          {
            title: t('marketing.conversion'),
            key: 'conversion',
            align: 'right',
            render: (_: unknown, a) => i18n.pct(rate(a.successes.conversion, a.known.conversion), 2),
          },
          {
            title: t('marketing.revenuePerContact'),
            dataIndex: 'revenue_per_contact',
            align: 'right',
            render: (v: number | null) => (v === null ? '–' : i18n.num(v, 2)),
          },
        ]}
      />
      <Chart option={option} height={260} testId="campaign-rates" />
      <Table<Comparison>
        size="small"
        rowKey="treatment"
        pagination={false}
        data-testid="campaign-comparisons"
        dataSource={r.comparisons}
        columns={[
          {
            title: t('marketing.vsControl', { control: r.control.variant }),
            dataIndex: 'treatment',
          },
          {
            title: t('marketing.visit'),
            key: 'visit',
            render: (_: unknown, c) => testCell(i18n, c.outcomes.visit),
          },
          {
            title: t('marketing.conversion'),
            key: 'conversion',
            render: (_: unknown, c) => testCell(i18n, c.outcomes.conversion),
          },
          {
            title: t('marketing.revenuePerContact'),
            key: 'revenue',
            render: (_: unknown, c) =>
              c.revenue
                ? `${c.revenue.difference >= 0 ? '+' : '−'}${i18n.num(Math.abs(c.revenue.difference), 2)}` +
                  (c.revenue.ci ? ` (${i18n.num(c.revenue.ci[0], 2)} … ${i18n.num(c.revenue.ci[1], 2)})` : '')
                : '–',
          },
        ]}
      />
      <Typography.Paragraph type="secondary" data-testid="campaign-method" style={{ margin: 0 }}>
        {r.method}
      </Typography.Paragraph>
    </Space>
  );
}

function Targets(props: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, set] = useUrlState();
  const budget = Number(params.get('budget')) || DEFAULT_BUDGET;
  const cost = params.get('cost') === null ? null : Number(params.get('cost'));
  const margin = params.get('margin') === null ? null : Number(params.get('margin'));
  const profit = cost !== null && margin !== null;
  const state = useApi<TargetsBody>(`/v1/campaigns/${encodeURIComponent(props.id)}/targets`, {
    budget,
    cost: profit ? cost : undefined,
    margin: profit ? margin : undefined,
    limit: 100,
  });
  const withLang = params.get('lang') ? `?lang=${params.get('lang')}` : '';
  return (
    <Card title={t('marketing.targets')} data-testid="campaign-targets">
      <Space wrap style={{ marginBottom: 16 }}>
        {t('marketing.budget')}
        <InputNumber
          data-testid="target-budget"
          min={1}
          max={100}
          step={5}
          value={Math.round(budget * 1000) / 10}
          formatter={(v) => `${v ?? ''}%`}
          parser={(v) => Number((v ?? '').replace('%', ''))}
          onChange={(v) => set({ budget: v === null || v / 100 === DEFAULT_BUDGET ? null : String(v / 100) })}
        />
        {t('marketing.cost')}
        <InputNumber
          data-testid="target-cost"
          min={0}
          step={0.05}
          value={cost}
          onChange={(v) => set({ cost: v === null ? null : String(v) })}
        />
        {t('marketing.margin')}
        <InputNumber
          data-testid="target-margin"
          min={0}
          max={1}
          step={0.05}
          value={margin}
          onChange={(v) => set({ margin: v === null ? null : String(v) })}
        />
        {!profit && (cost !== null || margin !== null) && (
          <Typography.Text type="warning">{t('marketing.costAndMargin')}</Typography.Text>
        )}
      </Space>
      <Loaded
        state={state}
        rows={6}
        isEmpty={(x) => x.rows.length === 0}
        emptyHint={t('marketing.noTargets')}
      >
        {(x) => (
          <>
            <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('marketing.model')}>
                {`${x.model.model_id} (${x.model.method ?? ''}, ${x.outcome})`}
              </Descriptions.Item>
              <Descriptions.Item label={t('marketing.withinBudget')}>
                <span data-testid="target-summary">
                  {t('marketing.listed', {
                    listed: i18n.num(x.listed),
                    budget: i18n.num(x.budget_customers),
                    customers: i18n.num(x.customers),
                  })}
                </span>
              </Descriptions.Item>
              {x.value_per_response !== null && (
                <Descriptions.Item label={t('marketing.valuePerResponse')}>
                  {i18n.num(x.value_per_response, 2)}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Table<TargetRow>
              size="small"
              rowKey="rank"
              data-testid="target-list"
              dataSource={x.rows}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              columns={[
                { title: '#', dataIndex: 'rank', align: 'right' },
                {
                  title: t('col.customer'),
                  dataIndex: 'customer_id',
                  render: (id: string) => (
                    <Link to={`/app/customers/${encodeURIComponent(id)}${withLang}`}>{id}</Link>
                  ),
                },
                { title: t('marketing.treatment'), dataIndex: 'treatment' },
                {
                  title: t('marketing.uplift'),
                  dataIndex: 'uplift',
                  align: 'right',
                  render: (v: number) => t('marketing.pts', { x: points(i18n, v) }),
                },
                ...(profit
                  ? [
                      {
                        title: t('marketing.profit'),
                        dataIndex: 'expected_profit',
                        align: 'right' as const,
                        render: (v: number | null) => (v === null ? '–' : i18n.num(v, 2)),
                      },
                    ]
                  : []),
                { title: t('marketing.reasons'), dataIndex: 'reasons' },
              ]}
            />
          </>
        )}
      </Loaded>
    </Card>
  );
}
