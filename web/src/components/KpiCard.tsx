/** A headline number with its change against the previous period (green up, red down). */
import { Card, Statistic, Typography } from 'antd';

export function KpiCard(props: {
  title: string;
  value: string;
  change: number | null;
  /** The line under the number: the change and the period compared, or why there is none. */
  text: string;
  testId: string;
  /** For a number where down is good (none on the Overview yet). */
  lowerIsBetter?: boolean;
}) {
  const good = props.change !== null && props.change >= 0 !== Boolean(props.lowerIsBetter);
  return (
    <Card size="small" data-testid={props.testId}>
      <Statistic title={props.title} value={props.value} />
      <Typography.Text
        type={props.change === null ? 'secondary' : good ? 'success' : 'danger'}
        data-role="change"
      >
        {props.text}
      </Typography.Text>
    </Card>
  );
}
