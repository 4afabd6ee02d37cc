/**
 * The customer table of the Customers page: GET /v1/customers does the search, filters, sorting and
 * paging (a store of millions sends 20 rows); this component keeps each of them in the URL (`q`,
 * `segment`, `churn_risk`, `spend_tier`, `sort`, `order`, `page`, `size`), so a filtered, sorted page
 * is a link. A row opens the customer's page.
 */
import { Alert, Card, Input, Select, Space, Table, Tag } from 'antd';
import { useRef } from 'react';
import { Link } from 'react-router';
import type { CustomerRow, CustomersBody, SegmentsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { EmptyState, ErrorState } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n } from '../../i18n/i18n';

const SORTS = ['customer_id', 'recency_days', 'orders', 'spend', 'churn_probability', 'clv_365d'] as const;
const LEVELS = ['low', 'medium', 'high'] as const;
const PAGE_SIZES = [10, 20, 50, 100];
const RISK_COLOUR = { low: 'green', medium: 'gold', high: 'red' } as const;
/** The API's default order of a sort column: ids A to Z, figures highest first. */
const defaultOrder = (key: string): 'asc' | 'desc' => (key === 'customer_id' ? 'asc' : 'desc');

export function CustomerTable(props: { segments: SegmentsBody | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, set] = useUrlState();
  const lang = params.get('lang');
  const sort = SORTS.find((s) => s === params.get('sort')) ?? 'spend';
  const order = params.get('order') === 'asc' ? 'asc' : params.get('order') === 'desc' ? 'desc' : undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const size = PAGE_SIZES.find((s) => s === Number(params.get('size'))) ?? 20;
  const filters = {
    q: params.get('q') ?? undefined,
    segment: params.get('segment') ?? undefined,
    churn_risk: params.get('churn_risk') ?? undefined,
    spend_tier: params.get('spend_tier') ?? undefined,
  };
  const state = useApi<CustomersBody>('/v1/customers', {
    ...filters,
    sort: params.get('sort') ? sort : undefined,
    order,
    page,
    page_size: size,
  });
  // While the next page loads, the last one stays on screen under the table's spinner.
  const last = useRef<CustomersBody | undefined>(undefined);
  if (state.data) last.current = state.data;
  const body = state.data ?? last.current;
  const shownOrder = order ?? defaultOrder(sort);
  const sortOrder = (key: string): 'ascend' | 'descend' | null =>
    key === sort ? (shownOrder === 'asc' ? 'ascend' : 'descend') : null;
  const filtered = Object.values(filters).some(Boolean);
  const withLang = lang ? `?lang=${lang}` : '';

  const select = (
    name: 'segment' | 'churn_risk' | 'spend_tier',
    placeholder: string,
    options: { value: string; label: string }[],
  ) => (
    <Select
      data-testid={`filter-${name}`}
      allowClear
      style={{ minWidth: 180 }}
      placeholder={placeholder}
      value={filters[name]}
      options={options}
      onChange={(v: string | undefined) => set({ [name]: v ?? null, page: null })}
    />
  );

  return (
    <Card
      title={body ? t('customers.table', { day: i18n.day(body.as_of) }) : ' '}
      data-testid="customer-table-card"
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          key={filters.q ?? ''}
          data-testid="customer-search"
          allowClear
          style={{ width: 260 }}
          defaultValue={filters.q}
          placeholder={t('customers.search')}
          onSearch={(v) => set({ q: v.trim() || null, page: null })}
        />
        {select(
          'segment',
          t('customers.anySegment'),
          (props.segments?.segments ?? []).map((s) => ({ value: s.segment, label: s.label })),
        )}
        {select(
          'churn_risk',
          t('customers.anyRisk'),
          LEVELS.map((l) => ({ value: l, label: t(`customers.risk.${l}`) })),
        )}
        {select(
          'spend_tier',
          t('customers.anyTier'),
          LEVELS.map((l) => ({ value: l, label: t(`customers.tier.${l}`) })),
        )}
      </Space>
      {state.error && <ErrorState error={state.error} onRetry={state.reload} />}
      {body && !body.predictions.available && body.predictions.reason && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('customers.noPredictions', { reason: body.predictions.reason })}
        />
      )}
      {body && body.total === 0 && !state.loading ? (
        <EmptyState hint={filtered ? t('customers.noMatch') : t('customers.segmentsEmpty')} />
      ) : (
        <Table<CustomerRow>
          size="small"
          rowKey="customer_id"
          data-testid="customer-table"
          loading={state.loading}
          dataSource={body?.customers ?? []}
          pagination={{
            current: page,
            pageSize: size,
            total: body?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (n) => (
              <span data-testid="customer-total">{t('customers.total', { n: i18n.num(n) })}</span>
            ),
          }}
          // Each header cycles highest first, lowest first (never unsorted: the API always sorts).
          sortDirections={['descend', 'ascend', 'descend']}
          onChange={(p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const key = (s?.order ? String(s.columnKey) : 'spend') as (typeof SORTS)[number];
            const nextOrder =
              s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : defaultOrder(key);
            const isDefault = key === 'spend' && nextOrder === 'desc';
            // A new sort or page size starts again at page 1.
            const restart = key !== sort || nextOrder !== shownOrder || (p.pageSize ?? size) !== size;
            set({
              sort: isDefault ? null : key,
              order: isDefault || nextOrder === defaultOrder(key) ? null : nextOrder,
              size: p.pageSize && p.pageSize !== 20 ? String(p.pageSize) : null,
              page: restart || !p.current || p.current === 1 ? null : String(p.current),
            });
          }}
          columns={[
            {
              title: t('col.customer'),
              key: 'customer_id',
              dataIndex: 'customer_id',
              sorter: true,
              sortOrder: sortOrder('customer_id'),
              render: (id: string) => (
                <Link to={`/app/customers/${encodeURIComponent(id)}${withLang}`}>{id}</Link>
              ),
            },
            { title: t('col.country'), dataIndex: 'country', render: (v: string | null) => v ?? '–' },
            { title: t('col.segment'), dataIndex: 'segment_label' },
            {
              title: t('col.recencyDays'),
              key: 'recency_days',
              dataIndex: 'recency_days',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('recency_days'),
              render: (v: number | null) => (v === null ? '–' : i18n.num(v)),
            },
            {
              title: t('col.orders'),
              key: 'orders',
              dataIndex: 'orders',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('orders'),
              render: (v: number) => i18n.num(v),
            },
            {
              title: t('col.spend'),
              key: 'spend',
              dataIndex: 'spend',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('spend'),
              render: (v: number) => i18n.money(v),
            },
            {
              title: t('col.lastOrder'),
              dataIndex: 'last_order_at',
              render: (v: string | null) => i18n.day(v),
            },
            {
              title: t('col.churn'),
              key: 'churn_probability',
              dataIndex: 'churn_probability',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('churn_probability'),
              render: (v: number | null, r) =>
                v === null ? (
                  '–'
                ) : (
                  <Space size={4}>
                    {i18n.pct(v)}
                    {r.churn_risk && (
                      <Tag color={RISK_COLOUR[r.churn_risk]}>{t(`customers.risk.${r.churn_risk}`)}</Tag>
                    )}
                  </Space>
                ),
            },
            {
              title: t('col.clv'),
              key: 'clv_365d',
              dataIndex: 'clv_365d',
              align: 'right',
              sorter: true,
              sortOrder: sortOrder('clv_365d'),
              render: (v: number | null) => i18n.money(v),
            },
            {
              title: t('col.tier'),
              dataIndex: 'spend_tier',
              render: (v: CustomerRow['spend_tier']) => (v ? t(`customers.tier.${v}`) : '–'),
            },
          ]}
        />
      )}
    </Card>
  );
}
