/**
 * Training in the background, on the Models page: the jobs of GET /v1/models/jobs (readable with the
 * session's read key) with their progress while they run, then what each stored and, for jobs that
 * compare (npm start's search for a better recommender, `if_not_worse`), the decision with both
 * validation metrics and its reason. An admin key starts one: the new versions are served only when
 * not worse than the serving ones. Polls every 2 s while a job runs; when one ends, the model tables
 * above reload (`onFinished`), so a promotion shows as it happens.
 */
import { App as AntApp, Button, Card, Divider, Progress, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { apiPost } from '../../api/client';
import type { JobBody, JobsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useStore } from '../../app/store';
import { ErrorState, Loaded } from '../../components/States';
import { useI18n } from '../../i18n/i18n';

/** What the model picker offers (the server checks the name and suggests the closest on a typo). */
const RECOMMENDERS = ['auto', 'popularity', 'item-knn', 'transition', 'ease', 'als', 'bpr', 'sasrec'];
const POLL_MS = 2000;
const STATUS_COLOUR = { running: 'processing', succeeded: 'success', failed: 'error' } as const;

export function TrainingJobs(props: { onFinished: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { role } = useStore();
  const { message } = AntApp.useApp();
  const state = useApi<JobsBody>('/v1/models/jobs');
  const [model, setModel] = useState('auto');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const running = state.data?.jobs.filter((j) => j.status === 'running').map((j) => j.job_id) ?? [];
  const runningKey = running.join(',');
  const seenRunning = useRef(new Set<string>());

  const { reload } = state;
  const { onFinished } = props;
  useEffect(() => {
    const jobs = state.data?.jobs ?? [];
    // A job seen running that is no longer: its versions are stored (and maybe promoted).
    const ended = jobs.some((j) => j.status !== 'running' && seenRunning.current.has(j.job_id));
    seenRunning.current = new Set(jobs.filter((j) => j.status === 'running').map((j) => j.job_id));
    if (ended) onFinished();
  }, [state.data, onFinished]);
  useEffect(() => {
    if (!runningKey) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [runningKey, reload]);

  const train = async (task: 'customers' | 'recommend') => {
    setBusy(true);
    setError(null);
    try {
      await apiPost(`/v1/admin/train/${task}`, {
        ...(task === 'recommend' ? { model } : {}),
        promote: 'if_not_worse',
      });
      void message.info(t('models.jobStarted', { task }));
      reload();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('models.training')} data-testid="training">
      {role === 'admin' && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="train-controls">
          <Select
            data-testid="train-model"
            value={model}
            style={{ minWidth: 160 }}
            options={RECOMMENDERS.map((m) => ({ value: m, label: m }))}
            onChange={setModel}
          />
          <Button
            type="primary"
            disabled={busy}
            data-testid="train-recommend"
            onClick={() => void train('recommend')}
          >
            {t('models.trainRecommend')}
          </Button>
          <Button disabled={busy} data-testid="train-customers" onClick={() => void train('customers')}>
            {t('models.trainCustomers')}
          </Button>
          <Typography.Text type="secondary">{t('models.trainHint')}</Typography.Text>
        </Space>
      )}
      {error && <ErrorState error={error} />}
      <Loaded state={state} isEmpty={(b) => b.jobs.length === 0} emptyHint={t('models.noJobs')} rows={2}>
        {(b) => (
          // Plain rows: antd 6.6 deprecates List (a console warning on every render).
          <div>
            {b.jobs.map((j, i) => (
              <div key={j.job_id} data-testid={`job-${j.job_id}`} data-status={j.status}>
                {i > 0 && <Divider style={{ margin: '12px 0' }} />}
                <JobLine job={j} />
              </div>
            ))}
          </div>
        )}
      </Loaded>
    </Card>
  );
}

function JobLine(props: { job: JobBody }) {
  const i18n = useI18n();
  const { t } = i18n;
  const j = props.job;
  const last = j.steps.at(-1);
  // A step is reported as it begins: `ordinal` steps of `total` are done when it starts.
  const percent = j.status === 'succeeded' ? 100 : last ? Math.round((100 * last.ordinal) / last.total) : 0;
  const model = typeof j.options['model'] === 'string' ? ` (${String(j.options['model'])})` : '';
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <b>
          {j.task}
          {model}
        </b>
        <Tag color={STATUS_COLOUR[j.status]} data-testid="job-status">
          {t(`models.job.${j.status}`)}
        </Tag>
        <Typography.Text type="secondary">
          {t(`models.trigger.${j.trigger}`)} · {i18n.day(j.created_at)}
        </Typography.Text>
      </Space>
      {j.status !== 'failed' && (
        <Progress
          percent={percent}
          size="small"
          status={j.status === 'running' ? 'active' : 'success'}
          format={() =>
            j.status === 'running' && last
              ? `${last.label} (${last.ordinal + 1}/${last.total})`
              : `${percent}%`
          }
        />
      )}
      {j.error && <Typography.Text type="danger">{j.error.message}</Typography.Text>}
      {j.retrain?.map((d) => (
        <Typography.Text key={d.candidate} data-testid="job-decision">
          <Tag color={d.promoted ? 'green' : 'default'}>
            {d.promoted ? t('models.promoted') : t('models.kept')}
          </Tag>
          {d.reason}
        </Typography.Text>
      ))}
      {!j.retrain && j.models && (
        <Typography.Text type="secondary">
          {t('models.stored', { models: j.models.map((m) => `${m.model_id} (${m.status})`).join(', ') })}
        </Typography.Text>
      )}
    </Space>
  );
}
