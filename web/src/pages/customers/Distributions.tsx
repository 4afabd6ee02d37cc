/**
 * Churn-risk and CLV distributions of the Customers page, from GET /v1/analytics/predictions: how
 * many customers fall in each band of churn probability and of 365-day CLV (the last CLV band holds
 * the top 5%, so a few large accounts do not squash the rest into one bar), with the customers per
 * risk band and spend tier. Without stored predictions it says what to run.
 */
import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { DistributionsBody, HistogramBin } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Chart, type ChartOption } from '../../components/Chart';
import { Loaded } from '../../components/States';
import { useI18n, type I18n } from '../../i18n/i18n';

function bars(labels: string[], bins: HistogramBin[], colour: string, i18n: I18n): ChartOption {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.num(Number(v)) },
    grid: { left: 50, right: 10, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 35, fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => i18n.num(v) } },
    series: [{ type: 'bar', data: bins.map((b) => b.customers), itemStyle: { color: colour } }],
  };
}

export function Distributions() {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useApi<DistributionsBody>('/v1/analytics/predictions');
  const charts = useMemo(() => {
    const d = state.data;
    if (!d?.available) return null;
    const churnLabels = d.churn.bins.map((b) => `${i18n.pct(b.from, 0)}–${i18n.pct(b.to, 0)}`);
    const clvLabels = d.clv.bins.map((b) =>
      b.to === null ? `≥ ${i18n.money(b.from)}` : `${i18n.money(b.from)}–${i18n.money(b.to)}`,
    );
    return {
      churn: bars(churnLabels, d.churn.bins, '#cf1322', i18n),
      clv: bars(clvLabels, d.clv.bins, '#2f54eb', i18n),
    };
  }, [state.data, i18n]);
  return (
    <Loaded
      state={state}
      isEmpty={(d) => !d.available}
      emptyHint={state.data?.reason ?? t('state.empty')}
      rows={6}
    >
      {(d) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary" data-testid="distributions-summary">
            {t('customers.distributionsAsOf', {
              day: i18n.day(d.as_of),
              n: i18n.num(d.customers),
              churn: i18n.pct(d.churn.mean),
              clv: i18n.money(d.clv.total),
            })}
          </Typography.Text>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('customers.churnDistribution')}>
                <Chart option={charts!.churn} height={260} testId="churn-distribution" />
                <Space wrap data-testid="churn-by-risk">
                  {d.churn.by_risk.map((r) => (
                    <Tag key={r.risk}>
                      {t(`customers.risk.${r.risk}`)}: {i18n.num(r.customers)}
                    </Tag>
                  ))}
                </Space>
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('customers.clvDistribution')}>
                <Chart option={charts!.clv} height={260} testId="clv-distribution" />
                <Space wrap data-testid="clv-by-tier">
                  {d.clv.by_tier.map((x) => (
                    <Tag key={x.tier}>
                      {t(`customers.tier.${x.tier}`)}: {i18n.num(x.customers)} · {i18n.money(x.clv)}
                    </Tag>
                  ))}
                </Space>
              </Card>
            </Col>
          </Row>
        </Space>
      )}
    </Loaded>
  );
}
