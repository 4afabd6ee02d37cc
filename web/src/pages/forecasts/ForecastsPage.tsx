/**
 * Forecasts: the latest stored `shopsight forecast` run of a level (GET /v1/forecasts), one series at
 * a time: the last HISTORY periods sold (the API's `history`) and then the forecast per period with
 * its 80% and 95% intervals as bands, the model that made it and its note when it fell back to a
 * simpler one, and the forecast's figures in a table. The level and the series are in the URL. A
 * level no run holds gets the API's answer: which command makes it.
 *
 * Not here yet: reorder suggestions (the API does not serve them).
 */
import { Card, Segmented, Select, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { ApiError } from '../../api/client';
import type { ForecastPoint, ForecastsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Chart, type ChartOption } from '../../components/Chart';
import { EmptyState, Loaded } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n, type I18n } from '../../i18n/i18n';

const LEVELS = ['total', 'country', 'category', 'product'] as const;
/** Series listed for a level (the API's largest histories first). */
const SERIES_LIMIT = 50;
/** Periods of history drawn before the forecast: eight weeks of days. */
const HISTORY = 56;

interface HistoryPoint {
  date: string;
  value: number;
}
/** A series of the body with its history (asked for with `history`). */
type SeriesWithHistory = ForecastsBody['series'][number] & { history?: HistoryPoint[] };

export default function ForecastsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, set] = useUrlState();
  const level = LEVELS.find((l) => l === params.get('level')) ?? 'total';
  const state = useApi<ForecastsBody>('/v1/forecasts', { level, limit: SERIES_LIMIT, history: HISTORY });
  const notStored = state.error instanceof ApiError && state.error.status === 404;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        {t('forecasts.level')}
        <Segmented
          data-testid="forecast-level"
          value={level}
          options={LEVELS.map((l) => ({ value: l, label: t(`forecasts.level.${l}`) }))}
          onChange={(v) => set({ level: v === 'total' ? null : String(v), series: null })}
        />
      </Space>
      {notStored ? (
        <EmptyState hint={state.error!.message} />
      ) : (
        <Loaded state={state} isEmpty={(f) => f.series.length === 0} rows={8}>
          {(f) => <Run body={f} selected={params.get('series')} onSelect={(id) => set({ series: id })} />}
        </Loaded>
      )}
    </Space>
  );
}

function Run(props: { body: ForecastsBody; selected: string | null; onSelect: (id: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const f = props.body;
  const series: SeriesWithHistory = f.series.find((x) => x.id === props.selected) ?? f.series[0]!;
  const measure = t(f.measure === 'revenue' ? 'forecasts.measure.revenue' : 'forecasts.measure.units');
  const granularity = t(
    f.granularity === 'week' ? 'forecasts.granularity.week' : 'forecasts.granularity.day',
  );
  const value = (x: number) => (f.measure === 'revenue' ? i18n.money(x) : i18n.num(x, 1));
  const option = useMemo(() => bands(series.forecast, series.history ?? [], i18n, t), [series, i18n, t]);
  return (
    <Card
      title={t('forecasts.title', { measure, granularity })}
      extra={
        f.series.length > 1 && (
          <Select
            data-testid="forecast-series"
            showSearch
            style={{ minWidth: 220 }}
            value={series.id}
            options={f.series.map((x) => ({ value: x.id, label: x.id }))}
            onChange={props.onSelect}
          />
        )
      }
    >
      <Typography.Paragraph type="secondary" data-testid="forecast-run">
        {t('forecasts.run', {
          version: f.version,
          created: i18n.day(f.created_at),
          end: i18n.day(f.history_end),
          horizon: f.horizon,
          model: f.model_requested,
        })}
      </Typography.Paragraph>
      <Typography.Paragraph data-testid="forecast-model">
        {t('forecasts.model', { model: series.model })}
        {series.note ? ` · ${series.note}` : ''}
      </Typography.Paragraph>
      <Chart option={option} height={340} testId="forecast-chart" />
      <Table<ForecastPoint>
        size="small"
        rowKey="date"
        data-testid="forecast-table"
        pagination={{ pageSize: 14, hideOnSinglePage: true }}
        dataSource={series.forecast}
        columns={[
          { title: t('customer.date'), dataIndex: 'date', render: (v: string) => i18n.day(v) },
          { title: t('forecasts.forecast'), dataIndex: 'forecast', align: 'right', render: value },
          {
            title: t('forecasts.band80'),
            key: 'b80',
            align: 'right',
            render: (_: unknown, p) => `${value(p.lo80)} – ${value(p.hi80)}`,
          },
          {
            title: t('forecasts.band95'),
            key: 'b95',
            align: 'right',
            render: (_: unknown, p) => `${value(p.lo95)} – ${value(p.hi95)}`,
          },
        ]}
      />
    </Card>
  );
}

/**
 * What sold, then the forecast line over its two interval bands (each band: its lower edge, then the
 * width stacked on it); the history's periods are empty in the forecast's series and the other way round.
 */
function bands(points: ForecastPoint[], history: HistoryPoint[], i18n: I18n, t: I18n['t']): ChartOption {
  const gap: null[] = history.map(() => null);
  const band = (name: string, lo: number[], hi: number[], colour: string, stack: string) => [
    { name, type: 'line', data: [...gap, ...lo], stack, symbol: 'none', lineStyle: { opacity: 0 } },
    {
      name,
      type: 'line',
      data: [...gap, ...hi.map((h, k) => h - lo[k]!)],
      stack,
      symbol: 'none',
      lineStyle: { opacity: 0 },
      areaStyle: { color: colour },
    },
  ];
  return {
    // The stacked series hold band widths: the tooltip reads the point itself.
    tooltip: {
      trigger: 'axis',
      formatter: (items: { dataIndex: number }[]) => {
        const n = (x: number) => i18n.num(x, 1);
        const index = items[0]?.dataIndex ?? 0;
        if (index < history.length) {
          const h = history[index]!;
          return [i18n.day(h.date), `${t('forecasts.history')}: ${n(h.value)}`].join('<br/>');
        }
        const p = points[index - history.length]!;
        return [
          i18n.day(p.date),
          `${t('forecasts.forecast')}: ${n(p.forecast)}`,
          `${t('forecasts.band80')}: ${n(p.lo80)} – ${n(p.hi80)}`,
          `${t('forecasts.band95')}: ${n(p.lo95)} – ${n(p.hi95)}`,
        ].join('<br/>');
      },
    },
    legend: {
      data: [
        ...(history.length ? [t('forecasts.history')] : []),
        t('forecasts.forecast'),
        t('forecasts.band80'),
        t('forecasts.band95'),
      ],
    },
    grid: { left: 60, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: [...history, ...points].map((p) => i18n.day(p.date)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => i18n.num(v) } },
    series: [
      ...band(
        t('forecasts.band95'),
        points.map((p) => p.lo95),
        points.map((p) => p.hi95),
        'rgba(47, 84, 235, 0.12)',
        'b95',
      ),
      ...band(
        t('forecasts.band80'),
        points.map((p) => p.lo80),
        points.map((p) => p.hi80),
        'rgba(47, 84, 235, 0.25)',
        'b80',
      ),
      {
        name: t('forecasts.history'),
        type: 'line',
        data: [...history.map((h) => h.value), ...points.map(() => null)],
        symbol: 'none',
        lineStyle: { width: 1.5, color: '#595959' },
        itemStyle: { color: '#595959' },
      },
      {
        name: t('forecasts.forecast'),
        type: 'line',
        data: [...gap, ...points.map((p) => p.forecast)],
        symbol: 'none',
        lineStyle: { width: 2 },
      },
    ],
  };
}
