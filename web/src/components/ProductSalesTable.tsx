/** Best sellers as a table (GET /v1/analytics/products rows): the Overview's and the Products page's. */
import { Table } from 'antd';
import type { ProductSales } from '../api/types';
import { useI18n } from '../i18n/i18n';

export function ProductSalesTable(props: {
  rows: ProductSales[];
  testId: string;
  /** The Overview shows category and orders too; the Products page keeps it narrow. */
  wide?: boolean;
  onPick?: (productId: string) => void;
}) {
  const i18n = useI18n();
  const { onPick } = props;
  return (
    <Table<ProductSales>
      size="small"
      rowKey="product_id"
      pagination={false}
      data-testid={props.testId}
      dataSource={props.rows}
      onRow={
        onPick ? (r) => ({ onClick: () => onPick(r.product_id), style: { cursor: 'pointer' } }) : undefined
      }
      columns={[
        {
          title: i18n.t('col.product'),
          dataIndex: 'title',
          render: (v: string | null, r) => v ?? r.product_id,
        },
        ...(props.wide
          ? [{ title: i18n.t('col.category'), dataIndex: 'category', render: (v: string | null) => v ?? '–' }]
          : []),
        {
          title: i18n.t('col.revenue'),
          dataIndex: 'gross_revenue',
          align: 'right',
          render: (v: number) => i18n.money(v),
        },
        {
          title: i18n.t('col.units'),
          dataIndex: 'units',
          align: 'right',
          render: (v: number) => i18n.num(v),
        },
        ...(props.wide
          ? [
              {
                title: i18n.t('col.orders'),
                dataIndex: 'orders',
                align: 'right' as const,
                render: (v: number) => i18n.num(v),
              },
            ]
          : []),
      ]}
    />
  );
}
