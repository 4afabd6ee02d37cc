/**
 * Reviews: what the reviews of a category (or of the whole store) say, from the scores stored when
 * reviews are scored (GET /v1/reviews/insight; categories from GET /v1/reviews/categories): the
 * negative share month by month, the most mentioned aspects with examples of each polarity, the
 * aspects that turned negative and the products whose negative share rose in the month compared.
 * The category and the month compared are in the URL.
 */
import { Alert, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { ReviewAspect, ReviewCategoriesBody, ReviewInsightBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Chart, type ChartOption } from '../../components/Chart';
import { Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n } from '../../i18n/i18n';

export default function ReviewsPage() {
  const { t } = useI18n();
  const [params, set] = useUrlState();
  const category = params.get('category');
  const month = params.get('month');
  const categories = useApi<ReviewCategoriesBody>('/v1/reviews/categories');
  const insight = useApi<ReviewInsightBody>('/v1/reviews/insight', { category, month });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('reviews.title')}
      </Typography.Title>
      <Space wrap>
        {t('reviews.category')}
        <Select
          data-testid="review-category"
          style={{ minWidth: 240 }}
          value={category ?? ''}
          loading={categories.loading}
          options={[
            { value: '', label: t('reviews.wholeStore') },
            ...(categories.data?.categories ?? []).map((c) => ({
              value: c.category,
              label: `${c.category} (${c.reviews})`,
            })),
          ]}
          onChange={(v: string) => set({ category: v || null, month: null })}
        />
        {insight.data && insight.data.months.length > 0 && (
          <>
            {t('reviews.month')}
            <Select
              data-testid="review-month"
              style={{ minWidth: 140 }}
              value={insight.data.comparison.month ?? undefined}
              options={insight.data.months.map((m) => ({ value: m.month, label: m.month }))}
              onChange={(v: string) => set({ month: v })}
            />
          </>
        )}
      </Space>
      <Loaded state={insight} isEmpty={(x) => x.reviews === 0} emptyHint={t('reviews.none')} rows={8}>
        {(x) => <Insight body={x} />}
      </Loaded>
    </Space>
  );
}

function Insight(props: { body: ReviewInsightBody }) {
  const i18n = useI18n();
  const { t } = i18n;
  const x = props.body;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('reviews.positive'), t('reviews.negative'), t('reviews.negativeShare')] },
      grid: { left: 50, right: 50, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: x.months.map((m) => i18n.month(m.month)) },
      yAxis: [
        { type: 'value', name: t('reviews.count') },
        { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => i18n.pct(v, 0) } },
      ],
      series: [
        {
          name: t('reviews.positive'),
          type: 'bar',
          stack: 'n',
          data: x.months.map((m) => m.positive),
          color: '#52c41a',
        },
        {
          name: t('reviews.negative'),
          type: 'bar',
          stack: 'n',
          data: x.months.map((m) => m.negative),
          color: '#f5222d',
        },
        {
          name: t('reviews.negativeShare'),
          type: 'line',
          yAxisIndex: 1,
          data: x.months.map((m) => m.negative_share),
          color: '#2f54eb',
        },
      ],
    }),
    [x, i18n, t],
  );
  const rising = x.comparison.products.filter((p) => p.verdict === 'higher');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {x.note && <Alert type="info" showIcon title={x.note} data-testid="review-note" />}
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Card data-testid="review-count">
            <Statistic title={t('reviews.reviews')} value={i18n.num(x.reviews)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card data-testid="review-negative-share">
            <Statistic title={t('reviews.negativeShare')} value={i18n.pct(x.sentiment.negative_share)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('reviews.averageRating')}
              value={x.average_rating === null ? '–' : i18n.num(x.average_rating, 2)}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('reviews.scored')}
              value={t('reviews.scoredOf', { scored: i18n.num(x.scored), cannot: i18n.num(x.cannot_score) })}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('reviews.overTime')}>
        <Chart option={option} height={300} testId="review-months" />
      </Card>
      <Card title={t('reviews.aspects')}>
        <Table<ReviewAspect>
          size="small"
          rowKey="aspect"
          data-testid="review-aspects"
          pagination={false}
          dataSource={x.aspects}
          locale={{ emptyText: t('reviews.noAspects') }}
          columns={[
            { title: t('reviews.aspect'), dataIndex: 'aspect' },
            {
              title: t('reviews.reviews'),
              dataIndex: 'reviews',
              align: 'right',
              render: (v: number) => i18n.num(v),
            },
            {
              title: t('reviews.positive'),
              dataIndex: 'positive',
              align: 'right',
              render: (v: number) => i18n.num(v),
            },
            {
              title: t('reviews.negative'),
              dataIndex: 'negative',
              align: 'right',
              render: (v: number) => i18n.num(v),
            },
            {
              title: t('reviews.negativeShare'),
              dataIndex: 'negative_share',
              align: 'right',
              render: (v: number) => i18n.pct(v),
            },
            {
              title: t('reviews.examples'),
              key: 'examples',
              render: (_: unknown, a) => (
                <Space orientation="vertical" size={0}>
                  {a.examples.positive.slice(0, 1).map((e) => (
                    <Typography.Text key={`+${e}`} type="success" style={{ fontSize: 12 }}>
                      + {e}
                    </Typography.Text>
                  ))}
                  {a.examples.negative.slice(0, 1).map((e) => (
                    <Typography.Text key={`-${e}`} type="danger" style={{ fontSize: 12 }}>
                      − {e}
                    </Typography.Text>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card
        title={t('reviews.compared', {
          month: x.comparison.month ?? '–',
          before: x.comparison.before.join(', ') || '–',
        })}
        data-testid="review-comparison"
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <div>
            {t('reviews.turnedNegative')}{' '}
            {x.comparison.turned_negative.length === 0
              ? t('reviews.noneTurned')
              : x.comparison.turned_negative.map((a) => (
                  <Tag color="red" key={a.aspect}>
                    {a.aspect} ({i18n.pct(a.month.negative_share, 0)})
                  </Tag>
                ))}
          </div>
          <div data-testid="review-rising">
            {t('reviews.rising')}{' '}
            {rising.length === 0
              ? t('reviews.noneRising', { tested: i18n.num(x.comparison.products.length) })
              : rising.map((p) => (
                  <Tag color="volcano" key={p.product_id}>
                    {p.title ?? p.product_id}
                  </Tag>
                ))}
          </div>
        </Space>
      </Card>
    </Space>
  );
}
