/**
 * Models: every stored version per task with its metric beside the baseline it was compared with
 * (RFM rule for churn and propensity, last period's spend for CLV, popularity for recommendations),
 * the evaluation protocol in words, which version serves, promote / roll back for an admin key; then
 * training in the background (TrainingJobs.tsx: progress, then the comparison that decided a
 * promotion); then the recommendations in use: CTR and attributed revenue per version and the A/B
 * comparison.
 */
import { App as AntApp, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { apiPost } from '../../api/client';
import type { FeedbackBody, ModelBody, ModelsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useStore } from '../../app/store';
import { ErrorState, Loaded } from '../../components/States';
import { useI18n, type I18n } from '../../i18n/i18n';
import { MODEL_HEADLINES } from '../../../../src/report/model-headlines';
import { TrainingJobs } from './TrainingJobs';

const asNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export default function ModelsPage() {
  const { t } = useI18n();
  const state = useApi<ModelsBody>('/v1/models');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Loaded state={state} isEmpty={(m) => m.models.length === 0} emptyHint={t('models.none')}>
        {(m) =>
          [...new Set(m.models.map((x) => x.task))].map((task) => (
            <TaskCard key={task} task={task} body={m} onChanged={state.reload} />
          ))
        }
      </Loaded>
      <TrainingJobs onFinished={state.reload} />
      <Feedback />
    </Space>
  );
}

function TaskCard(props: { task: string; body: ModelsBody; onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { role } = useStore();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const versions = props.body.models
    .filter((m) => m.task === props.task)
    .sort((a, b) => b.version - a.version);
  const serving = props.body.serving[props.task]?.version;
  const head = MODEL_HEADLINES[props.task];
  const protocol =
    versions.find((v) => v.version === serving)?.metrics['protocol'] ?? versions[0]?.metrics['protocol'];
  const change = async (path: string, body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      const r = await apiPost<{ task: string; serving_version: number | null }>(path, body);
      void message.success(t('models.changed', { task: r.task, version: r.serving_version ?? '–' }));
      props.onChanged();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      title={props.task}
      data-testid={`models-${props.task}`}
      extra={
        role === 'admin' ? (
          <Button disabled={busy} onClick={() => void change('/v1/admin/rollback', { task: props.task })}>
            {t('models.rollback')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('models.adminOnly')}</Typography.Text>
        )
      }
    >
      {error && <ErrorState error={error} />}
      <Table<ModelBody>
        size="small"
        rowKey="model_id"
        pagination={false}
        dataSource={versions}
        columns={[
          {
            title: t('models.version'),
            dataIndex: 'version',
            render: (v: number) => (
              <Space>
                {v}
                {v === serving && <Tag color="green">{t('models.serving')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('models.kind'),
            dataIndex: 'kind',
            render: (k: string, r) => String(r.params['model'] ?? k),
          },
          { title: t('models.created'), dataIndex: 'created_at', render: (v: string) => i18n.day(v) },
          ...(head
            ? [
                {
                  title: `${t('models.metric')}: ${head.label}`,
                  key: 'metric',
                  align: 'right' as const,
                  render: (_: unknown, r: ModelBody) => fmt(i18n, r.metrics[head.metric]),
                },
                {
                  title: `${t('models.baseline')}: ${head.baselineLabel}`,
                  key: 'baseline',
                  align: 'right' as const,
                  render: (_: unknown, r: ModelBody) => fmt(i18n, r.metrics[head.baseline]),
                },
              ]
            : []),
          ...(role === 'admin'
            ? [
                {
                  title: '',
                  key: 'promote',
                  render: (_: unknown, r: ModelBody) =>
                    r.version !== serving && (
                      <Button
                        size="small"
                        disabled={busy}
                        onClick={() => void change('/v1/admin/promote', { task: r.task, version: r.version })}
                      >
                        {t('models.promote')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {typeof protocol === 'string' && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          <b>{t('models.protocol')}:</b> {protocol}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function fmt(i18n: I18n, v: unknown): string {
  const x = asNumber(v);
  return x === null ? '–' : i18n.num(x, 3);
}

function Feedback() {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useApi<FeedbackBody>('/v1/analytics/recommendations');
  return (
    <Card title={t('models.feedback', { days: state.data?.window_days ?? 7 })} data-testid="feedback">
      <Loaded state={state} isEmpty={(f) => f.rows.length === 0} emptyHint={t('models.noFeedback')}>
        {(f) => (
          <>
            <Table
              size="small"
              rowKey={(r) => `${r.task}-${r.model_version}-${r.variant}`}
              pagination={false}
              dataSource={f.rows}
              columns={[
                { title: t('models.task'), dataIndex: 'task' },
                { title: t('models.version'), dataIndex: 'model_version' },
                { title: t('models.variant'), dataIndex: 'variant', render: (v: string | null) => v ?? '–' },
                {
                  title: t('models.impressions'),
                  dataIndex: 'impressions',
                  align: 'right',
                  render: (v: number) => i18n.num(v),
                },
                {
                  title: t('models.clicks'),
                  dataIndex: 'clicks',
                  align: 'right',
                  render: (v: number) => i18n.num(v),
                },
                {
                  title: t('models.ctr'),
                  dataIndex: 'ctr',
                  align: 'right',
                  render: (v: number | null) => i18n.pct(v, 2),
                },
                {
                  title: t('models.conversion'),
                  dataIndex: 'conversion_rate',
                  align: 'right',
                  render: (v: number | null) => i18n.pct(v, 2),
                },
                {
                  title: t('models.revenue'),
                  dataIndex: 'revenue',
                  align: 'right',
                  render: (v: number) => i18n.money(v),
                },
              ]}
            />
            {f.comparisons.map((c) => (
              <Card
                key={c.task}
                size="small"
                title={`${t('models.ab')}: ${c.task} (${c.a.arm} → ${c.b.arm})`}
                style={{ marginTop: 12 }}
              >
                {(['ctr', 'conversion'] as const).map((k) => {
                  const test = c[k];
                  return (
                    <Typography.Paragraph key={k}>
                      <b>{t(k === 'ctr' ? 'models.ctr' : 'models.conversion')}</b>: {i18n.pct(test.rate_a, 2)}{' '}
                      → {i18n.pct(test.rate_b, 2)}; {t('models.difference')}: {i18n.pct(test.difference, 2)}
                      {test.ci ? ` [${i18n.pct(test.ci[0], 2)}, ${i18n.pct(test.ci[1], 2)}]` : ''};{' '}
                      {t('models.pValue')}: {test.p_value === null ? '–' : i18n.num(test.p_value, 3)};{' '}
                      {t('models.verdict')}: {test.reason}
                    </Typography.Paragraph>
                  );
                })}
              </Card>
            ))}
            {f.notes.map((n) => (
              <Typography.Paragraph key={n} type="secondary">
                {n}
              </Typography.Paragraph>
            ))}
          </>
        )}
      </Loaded>
    </Card>
  );
}
