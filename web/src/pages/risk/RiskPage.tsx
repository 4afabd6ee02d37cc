/**
 * Risk: the orders the risk model flagged, riskiest first, with their reasons (GET /v1/risk/orders,
 * the rows `shopsight risk score` stored), and a review-rate slider: hold this share of orders, and
 * the page says at which model score, how many orders that is, and the precision and recall the
 * training measured there on held-out labelled fraud (GET /v1/risk/review-rates; a model trained
 * without labels claims none, and the page says so). The view (held or all), the page and the
 * rate are in the URL.
 */
import { Alert, Card, Descriptions, Segmented, Slider, Space, Table, Tag, Typography } from 'antd';
import { useRef } from 'react';
import { Link } from 'react-router';
import type { RiskOrderRow, RiskOrdersBody, RiskRatesBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { EmptyState, ErrorState, Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n } from '../../i18n/i18n';

const PAGE_SIZE = 20;

export default function RiskPage() {
  const { t } = useI18n();
  const rates = useApi<RiskRatesBody>('/v1/risk/review-rates');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('risk.title')}
      </Typography.Title>
      <Loaded
        state={rates}
        isEmpty={(r) => r.model_version === null}
        emptyHint={rates.data?.reason ?? ''}
        rows={3}
      >
        {(r) => <ReviewRate body={r} />}
      </Loaded>
      {rates.data && rates.data.model_version !== null && <FlaggedOrders />}
    </Space>
  );
}

function ReviewRate(props: { body: RiskRatesBody }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, set] = useUrlState();
  const r = props.body;
  // The rate in the URL when it is one of the curve's, else the rate the model was trained for.
  const asked = r.rates.findIndex((p) => String(p.rate) === params.get('rate'));
  const index =
    asked >= 0
      ? asked
      : Math.max(
          0,
          r.rates.findIndex((p) => p.rate === r.review_rate),
        );
  const point = r.rates[index]!;
  // 0.5% and 7.5% keep their decimal, whole percentages show none.
  const rateText = (x: number) => i18n.pct(x, Math.abs(x * 100 - Math.round(x * 100)) > 1e-9 ? 1 : 0);
  return (
    <Card title={t('risk.rateTitle')} data-testid="risk-rates">
      <Slider
        data-testid="risk-rate-slider"
        min={0}
        max={r.rates.length - 1}
        step={1}
        value={index}
        marks={Object.fromEntries(r.rates.map((p, i) => [i, rateText(p.rate)]))}
        tooltip={{ formatter: (i) => (i === undefined ? '' : rateText(r.rates[i]!.rate)) }}
        onChange={(i: number) => {
          const rate = r.rates[i]!.rate;
          set({ rate: rate === r.review_rate ? null : String(rate) });
        }}
      />
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginTop: 24 }}>
        <Descriptions.Item label={t('risk.rate')}>
          <span data-testid="risk-rate">{rateText(point.rate)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('risk.threshold')}>
          <span data-testid="risk-rate-threshold">{i18n.num(point.threshold, 4)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('risk.ordersHeld')}>
          <span data-testid="risk-rate-orders">
            {t('risk.ordersOf', { n: i18n.num(point.orders), of: i18n.num(r.scored) })}
          </span>
        </Descriptions.Item>
        {r.labelled && (
          <Descriptions.Item label={t('risk.precisionRecall')}>
            <span data-testid="risk-rate-expected">
              {t('risk.expected', {
                precision: i18n.pct(point.expected_precision),
                recall: i18n.pct(point.expected_recall),
              })}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
      {r.labelled ? (
        <Typography.Paragraph type="secondary" data-testid="risk-protocol">
          {t('risk.measuredOn', { protocol: r.protocol ?? '' })}
        </Typography.Paragraph>
      ) : (
        <Alert type="info" showIcon data-testid="risk-no-labels" title={t('risk.noLabels')} />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('risk.modelLine', {
          version: r.model_version ?? '',
          model: r.model ?? '',
          rate: rateText(r.review_rate ?? 0),
          held: i18n.num(r.held),
          scored: i18n.day(r.scored_at),
        })}
      </Typography.Paragraph>
    </Card>
  );
}

function FlaggedOrders() {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, set] = useUrlState();
  const view = params.get('view') === 'all' ? 'all' : 'held';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const withLang = params.get('lang') ? `?lang=${params.get('lang')}` : '';
  const state = useApi<RiskOrdersBody>('/v1/risk/orders', {
    held: view === 'held' ? true : undefined,
    page,
    page_size: PAGE_SIZE,
  });
  // While the next page loads, the last one stays on screen under the table's spinner.
  const last = useRef<RiskOrdersBody | undefined>(undefined);
  if (state.data) last.current = state.data;
  const body = state.data ?? last.current;
  return (
    <Card
      title={t('risk.flagged')}
      extra={
        <Segmented
          data-testid="risk-view"
          value={view}
          options={[
            { value: 'held', label: t('risk.view.held') },
            { value: 'all', label: t('risk.view.all') },
          ]}
          onChange={(v) => set({ view: v === 'held' ? null : String(v), page: null })}
        />
      }
    >
      {state.error && <ErrorState error={state.error} onRetry={state.reload} />}
      {body && body.total === 0 && !state.loading ? (
        <EmptyState hint={t('risk.noneHeld')} />
      ) : (
        <Table<RiskOrderRow>
          size="small"
          rowKey="order_id"
          data-testid="risk-orders"
          loading={state.loading}
          dataSource={body?.orders ?? []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: body?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => <span data-testid="risk-total">{t('risk.total', { n: i18n.num(n) })}</span>,
          }}
          onChange={(p) => set({ page: !p.current || p.current === 1 ? null : String(p.current) })}
          columns={[
            { title: t('risk.col.order'), dataIndex: 'order_id' },
            {
              title: t('risk.col.placed'),
              dataIndex: 'ordered_at',
              render: (v: string | null) => i18n.day(v),
            },
            {
              title: t('col.customer'),
              dataIndex: 'customer_id',
              render: (id: string | null) =>
                id ? (
                  <Link to={`/app/customers/${encodeURIComponent(id)}${withLang}`}>{id}</Link>
                ) : (
                  t('risk.guest')
                ),
            },
            { title: t('col.country'), dataIndex: 'country', render: (v: string | null) => v ?? '–' },
            {
              title: t('risk.col.value'),
              dataIndex: 'total',
              align: 'right',
              render: (v: number | null) => i18n.money(v),
            },
            {
              title: t('risk.col.score'),
              dataIndex: 'score',
              align: 'right',
              render: (v: number, o) => (
                <Space size={4}>
                  {i18n.num(v, 4)}
                  {o.held && <Tag color="red">{t('risk.held')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('risk.col.reasons'),
              dataIndex: 'reasons',
              render: (reasons: string[], o) => (
                <Space orientation="vertical" size={0}>
                  {(o.rules_hit ?? []).map((rule) => (
                    <Tag key={rule} color="purple">
                      {rule}
                    </Tag>
                  ))}
                  {reasons.slice(0, 3).map((x) => (
                    <Typography.Text key={x} style={{ fontSize: 12 }}>
                      {x}
                    </Typography.Text>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
