/**
 * Products: the best sellers, and for a chosen product what is bought with it (association rules,
 * lift in each reason) and what the same customers buy; a recommendation preview for any customer
 * with the business rules of `shopsight recommend` as controls. Product, customer and rules live in
 * the URL.
 */
import { Card, Checkbox, Col, Input, InputNumber, Row, Space, Table, Typography } from 'antd';
import type { ProductsBody, Recommendation, RecommendationsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { periodFrom } from '../../components/period';
import { ProductSalesTable } from '../../components/ProductSalesTable';
import { EmptyState, Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useStore } from '../../app/store';
import { useI18n } from '../../i18n/i18n';

export default function ProductsPage() {
  const { t } = useI18n();
  const store = useStore();
  const [params, set] = useUrlState();
  const period = periodFrom(params, store);
  const product = params.get('product');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('products.topByRevenue')}>
            <Top period={period} list="by_revenue" onPick={(id) => set({ product: id })} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('products.topByUnits')}>
            <Top period={period} list="by_units" onPick={(id) => set({ product: id })} />
          </Card>
        </Col>
      </Row>
      <Card title={t('products.explore')}>
        <Input.Search
          key={product ?? ''}
          data-testid="product-input"
          defaultValue={product ?? ''}
          style={{ maxWidth: 360 }}
          placeholder={t('products.productPlaceholder')}
          enterButton
          onSearch={(v) => set({ product: v.trim() || null })}
        />
        {product ? (
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={12}>
              <Typography.Title level={5}>{t('products.together')}</Typography.Title>
              <ItemList
                path={`/v1/recommendations/item/${encodeURIComponent(product)}/together`}
                testId="together"
              />
            </Col>
            <Col xs={24} xl={12}>
              <Typography.Title level={5}>{t('products.similar')}</Typography.Title>
              <ItemList path={`/v1/recommendations/item/${encodeURIComponent(product)}`} testId="similar" />
            </Col>
          </Row>
        ) : (
          <EmptyState hint={t('products.pickProduct')} />
        )}
      </Card>
      <Preview />
    </Space>
  );
}

function Top(props: {
  period: { from: string; to: string } | null;
  list: keyof ProductsBody;
  onPick: (id: string) => void;
}) {
  const state = useApi<ProductsBody>('/v1/analytics/products', { ...props.period, top: 10 });
  return (
    <Loaded state={state} isEmpty={(p) => p[props.list].length === 0}>
      {(p) => <ProductSalesTable rows={p[props.list]} testId={`top-${props.list}`} onPick={props.onPick} />}
    </Loaded>
  );
}

function ItemList(props: {
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  testId: string;
}) {
  const i18n = useI18n();
  // preview: a dashboard look is not an impression (the feedback loop counts what shoppers saw).
  const state = useApi<RecommendationsBody>(props.path, { k: 10, ...props.query, preview: true });
  return (
    <Loaded state={state} isEmpty={(r) => r.items.length === 0} emptyHint={i18n.t('products.noItems')}>
      {(r) => (
        <Table<Recommendation>
          size="small"
          rowKey="product_id"
          pagination={false}
          data-testid={props.testId}
          dataSource={r.items}
          footer={() =>
            i18n.t('customer.source', { source: r.source, version: r.model_version ?? '–' }) +
            (r.note ? ` · ${r.note}` : '')
          }
          columns={[
            { title: '#', dataIndex: 'rank', width: 40 },
            {
              title: i18n.t('col.product'),
              dataIndex: 'title',
              render: (v: string | null, x) => v ?? x.product_id,
            },
            { title: i18n.t('customer.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </Loaded>
  );
}

/** The rules of GET /v1/recommendations/user/:id as controls, each kept in the URL. */
function Preview() {
  const { t } = useI18n();
  const [params, set] = useUrlState();
  const customer = params.get('customer');
  const num = (name: string) => {
    const v = params.get(name);
    return v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const rules = {
    include_bought: params.get('include_bought') === 'true' || undefined,
    include_out_of_stock: params.get('include_out_of_stock') === 'true' || undefined,
    min_price: num('min_price'),
    max_price: num('max_price'),
    max_per_category: num('max_per_category'),
  };
  const numberControl = (name: 'min_price' | 'max_price' | 'max_per_category', label: string) => (
    <Space data-testid={`rule-${name}`}>
      {label}
      <InputNumber
        min={name === 'max_per_category' ? 1 : 0}
        value={rules[name] ?? null}
        onChange={(v) => set({ [name]: v === null ? null : String(v) })}
      />
    </Space>
  );
  return (
    <Card title={t('products.preview')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          key={customer ?? ''}
          data-testid="preview-customer"
          defaultValue={customer ?? ''}
          placeholder={t('products.customerPlaceholder')}
          enterButton
          onSearch={(v) => set({ customer: v.trim() || null })}
        />
        <Checkbox
          checked={Boolean(rules.include_bought)}
          onChange={(e) => set({ include_bought: e.target.checked ? 'true' : null })}
        >
          {t('products.includeBought')}
        </Checkbox>
        <Checkbox
          checked={Boolean(rules.include_out_of_stock)}
          onChange={(e) => set({ include_out_of_stock: e.target.checked ? 'true' : null })}
        >
          {t('products.includeOutOfStock')}
        </Checkbox>
        {numberControl('min_price', t('products.minPrice'))}
        {numberControl('max_price', t('products.maxPrice'))}
        {numberControl('max_per_category', t('products.maxPerCategory'))}
      </Space>
      {customer ? (
        <ItemList
          path={`/v1/recommendations/user/${encodeURIComponent(customer)}`}
          query={rules}
          testId="preview"
        />
      ) : (
        <EmptyState hint={t('products.pickCustomer')} />
      )}
    </Card>
  );
}
