/**
 * One customer: the profile endpoint's content (segment, lifecycle, orders, predictions with their
 * reasons, favourite categories, recent orders) and their recommendations.
 */
import { Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import { useParams } from 'react-router';
import type { ProfileBody, RecommendationsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { EmptyState, Loaded } from '../../components/States';
import { useI18n } from '../../i18n/i18n';

export default function CustomerPage() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const { t } = i18n;
  const profile = useApi<ProfileBody>(`/v1/customers/${encodeURIComponent(id)}/profile`);
  if (profile.error && 'status' in profile.error && profile.error.status === 404) {
    return <EmptyState hint={t('customer.notFound', { id })} />;
  }
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} data-testid="customer-title">
        {t('customer.title', { id })}
      </Typography.Title>
      <Loaded state={profile} rows={8}>
        {(p) => (
          <>
            <Card>
              <Descriptions column={{ xs: 1, md: 3 }} data-testid="customer-summary">
                <Descriptions.Item label={t('customer.segment')}>
                  <Tag color="blue">{p.rfm.label}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('customer.stage')}>{p.lifecycle.stage}</Descriptions.Item>
                <Descriptions.Item label={t('col.country')}>{p.country ?? '–'}</Descriptions.Item>
                <Descriptions.Item label={t('customer.spend')}>
                  <span data-testid="customer-spend">{i18n.money(p.orders.spend)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('customer.orders')}>
                  <span data-testid="customer-orders">{i18n.num(p.orders.sales)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('customer.aov')}>
                  {i18n.money(p.orders.average_order_value)}
                </Descriptions.Item>
                <Descriptions.Item label={t('customer.firstOrder')}>
                  {i18n.day(p.orders.first_order_at)}
                </Descriptions.Item>
                <Descriptions.Item label={t('customer.lastOrder')}>
                  {i18n.day(p.orders.last_order_at)}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={12}>
                <Predictions p={p} />
              </Col>
              <Col xs={24} xl={12}>
                <Card title={t('customer.favourites')}>
                  {/* Plain text rows: antd 6.6 deprecates List (a console warning on every render). */}
                  {p.favourite_categories.length === 0 ? (
                    <EmptyState hint={t('customer.noCategories')} />
                  ) : (
                    <Space orientation="vertical" data-testid="favourite-categories">
                      {p.favourite_categories.map((c) => (
                        <Typography.Text key={c.category}>
                          {c.category}: {i18n.money(c.spend)} ({i18n.pct(c.share)})
                        </Typography.Text>
                      ))}
                    </Space>
                  )}
                </Card>
              </Col>
            </Row>
            <Card title={t('customer.recentOrders')}>
              <Table
                size="small"
                rowKey="order_id"
                pagination={false}
                dataSource={p.recent_orders}
                columns={[
                  { title: '#', dataIndex: 'order_id' },
                  { title: t('customer.date'), dataIndex: 'ordered_at', render: (v: string) => i18n.day(v) },
                  { title: t('customer.status'), dataIndex: 'status' },
                  {
                    title: t('customer.amount'),
                    dataIndex: 'amount',
                    align: 'right',
                    render: (v: number) => i18n.money(v),
                  },
                ]}
              />
            </Card>
          </>
        )}
      </Loaded>
      <Recommendations id={id} />
    </Space>
  );
}

function Predictions(props: { p: ProfileBody }) {
  const i18n = useI18n();
  const { t } = i18n;
  const pr = props.p.predictions;
  return (
    <Card title={t('customer.predictions')} data-testid="customer-predictions">
      {!pr.available ? (
        <EmptyState hint={t('customer.noPredictions', { reason: pr.reason ?? '' })} />
      ) : (
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('customer.churn')}>
            {i18n.pct(pr.churn_probability)}
            <ul>
              {pr.churn_reasons?.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </Descriptions.Item>
          <Descriptions.Item label={t('customer.purchase')}>
            {i18n.pct(pr.purchase_probability)}
            <ul>
              {pr.purchase_reasons?.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </Descriptions.Item>
          <Descriptions.Item label={t('customer.clv')}>{i18n.money(pr.clv_365d)}</Descriptions.Item>
          <Descriptions.Item label={t('customer.nextOrder')}>{i18n.day(pr.next_order_at)}</Descriptions.Item>
          {pr.stale && pr.note && <Descriptions.Item label="!">{pr.note}</Descriptions.Item>}
        </Descriptions>
      )}
    </Card>
  );
}

function Recommendations(props: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  // preview: a dashboard look is not an impression (the feedback loop counts what shoppers saw).
  const state = useApi<RecommendationsBody>(`/v1/recommendations/user/${encodeURIComponent(props.id)}`, {
    k: 10,
    preview: true,
  });
  return (
    <Card
      title={t('customer.recommendations')}
      extra={
        state.data &&
        t('customer.source', { source: state.data.source, version: state.data.model_version ?? '–' })
      }
    >
      <Loaded state={state} isEmpty={(r) => r.items.length === 0}>
        {(r) => (
          <Table
            size="small"
            rowKey="product_id"
            pagination={false}
            data-testid="recommendations"
            dataSource={r.items}
            columns={[
              { title: '#', dataIndex: 'rank' },
              {
                title: t('col.product'),
                dataIndex: 'title',
                render: (v: string | null, x) => v ?? x.product_id,
              },
              {
                title: t('customer.score'),
                dataIndex: 'score',
                align: 'right',
                render: (v: number) => i18n.num(v, 3),
              },
              { title: t('customer.reason'), dataIndex: 'reason' },
            ]}
          />
        )}
      </Loaded>
    </Card>
  );
}
