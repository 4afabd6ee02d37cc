/**
 * The period of a page, kept in the URL (`from`, `to`). The picker shows the last day included;
 * the URL and the API take the exclusive end, the day after.
 */
import { DatePicker, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../i18n/i18n';
import { addDays, type Period } from './period';
import { useUrlState } from './url-state';

export function PeriodFilter(props: { period: Period; min?: string | null; max?: string | null }) {
  const { t } = useI18n();
  const [, set] = useUrlState();
  return (
    <Space>
      <Typography.Text>{t('filter.period')}</Typography.Text>
      <DatePicker.RangePicker
        data-testid="period"
        allowClear={false}
        value={[dayjs(props.period.from), dayjs(addDays(props.period.to, -1))]}
        minDate={props.min ? dayjs(props.min) : undefined}
        maxDate={props.max ? dayjs(props.max) : undefined}
        onChange={(v) => {
          const [a, b] = v ?? [];
          if (a && b) set({ from: a.format('YYYY-MM-DD'), to: addDays(b.format('YYYY-MM-DD'), 1) });
        }}
      />
    </Space>
  );
}
