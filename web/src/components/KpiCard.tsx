/** A headline number with its change against the previous period (green up, red down). */
import { Card, Statistic, Typography } from 'antd';
import { useI18n } from '../i18n/i18n';

export function KpiCard(props: {
  title: string;
  value: string;
  change: number | null;
  compareLabel: string;
  testId: string;
  /** For a number where down is good (none on the Overview yet). */
  lowerIsBetter?: boolean;
}) {
  const { pct, t } = useI18n();
  const good = props.change !== null && props.change >= 0 !== Boolean(props.lowerIsBetter);
  return (
    <Card size="small" data-testid={props.testId}>
      <Statistic title={props.title} value={props.value} />
      <Typography.Text
        type={props.change === null ? 'secondary' : good ? 'success' : 'danger'}
        data-role="change"
      >
        {props.change === null
          ? t('overview.noPrevious')
          : `${props.change >= 0 ? '▲' : '▼'} ${pct(Math.abs(props.change))} ${props.compareLabel}`}
      </Typography.Text>
    </Card>
  );
}
