/**
 * Assistant: campaign copy for an RFM segment from its real figures (POST /v1/assistant/copy, any
 * key), and, with an admin key, a question about the shop's data answered by checked read-only SQL
 * with its rows and a one-line summary (POST /v1/assistant/ask). The segment and the question are in
 * the URL; nothing runs until asked (a model call may cost money). Both say how they answered: the
 * language model the server is set up with, or the built-in templates (the notes say why).
 */
import { Button, Card, Descriptions, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { apiPost } from '../../api/client';
import type { AskBody, CopyBody, SegmentsBody } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useStore } from '../../app/store';
import { ErrorState } from '../../components/States';
import { useUrlState } from '../../components/url-state';
import { useI18n } from '../../i18n/i18n';

/** A POST that runs on demand: its answer, its error, and whether it is running. */
function useAction<T>() {
  const [state, setState] = useState<{ data?: T; error?: Error; busy: boolean }>({ busy: false });
  const run = async (path: string, body: unknown) => {
    setState({ busy: true });
    try {
      setState({ data: await apiPost<T>(path, body), busy: false });
    } catch (e) {
      setState({ error: e as Error, busy: false });
    }
  };
  return [state, run] as const;
}

export default function AssistantPage() {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Copy />
      <Ask />
    </Space>
  );
}

function Copy() {
  const i18n = useI18n();
  const { t } = i18n;
  const [params, set] = useUrlState();
  const segments = useApi<SegmentsBody>('/v1/segments');
  const segment = params.get('segment') ?? 'at_risk';
  const [state, run] = useAction<CopyBody>();
  return (
    <Card title={t('assistant.copy')} data-testid="copy">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          data-testid="copy-segment"
          style={{ minWidth: 200 }}
          value={segment}
          options={(segments.data?.segments ?? [])
            .filter((s) => s.customers > 0)
            .map((s) => ({ value: s.segment, label: `${s.label} (${i18n.num(s.customers)})` }))}
          onChange={(v: string) => set({ segment: v })}
        />
        <Button
          type="primary"
          data-testid="copy-write"
          loading={state.busy}
          onClick={() => void run('/v1/assistant/copy', { segment, lang: i18n.lang })}
        >
          {t('assistant.write')}
        </Button>
      </Space>
      {state.error && <ErrorState error={state.error} />}
      {state.data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Title level={5} data-testid="copy-subject">
            {state.data.subject}
          </Typography.Title>
          <Typography.Paragraph data-testid="copy-body" style={{ whiteSpace: 'pre-wrap' }}>
            {state.data.body}
          </Typography.Paragraph>
          <Tag>{t(state.data.mode === 'model' ? 'assistant.byModel' : 'assistant.byTemplate')}</Tag>
          <Descriptions size="small" column={1} bordered title={t('assistant.figures')}>
            {Object.entries(state.data.figures).map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {typeof v === 'object' ? JSON.stringify(v) : String(v)}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {state.data.notes.map((n) => (
            <Typography.Text key={n} type="secondary">
              {n}
            </Typography.Text>
          ))}
        </Space>
      )}
    </Card>
  );
}

function Ask() {
  const { t } = useI18n();
  const { role } = useStore();
  const [params, set] = useUrlState();
  const question = params.get('question') ?? '';
  const [state, run] = useAction<AskBody>();
  if (role !== 'admin') {
    return (
      <Card title={t('assistant.ask')}>
        <Typography.Text type="secondary">{t('assistant.askAdminOnly')}</Typography.Text>
      </Card>
    );
  }
  return (
    <Card title={t('assistant.ask')} data-testid="ask">
      <Input.Search
        key={question}
        data-testid="ask-question"
        defaultValue={question}
        placeholder={t('assistant.askPlaceholder')}
        enterButton={t('assistant.askButton')}
        loading={state.busy}
        onSearch={(q) => {
          if (!q.trim()) return;
          set({ question: q.trim() });
          void run('/v1/assistant/ask', { question: q.trim() });
        }}
        style={{ marginBottom: 12 }}
      />
      {state.error && <ErrorState error={state.error} />}
      {state.data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph strong data-testid="ask-summary">
            {state.data.summary}
          </Typography.Paragraph>
          <Tag>{t(state.data.mode === 'model' ? 'assistant.byModel' : 'assistant.byTemplate')}</Tag>
          <Typography.Paragraph>
            <pre data-testid="ask-sql" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {state.data.sql}
            </pre>
          </Typography.Paragraph>
          <Table
            size="small"
            data-testid="ask-rows"
            rowKey={(_, i) => String(i)}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={state.data.rows}
            columns={state.data.columns.map((c) => ({
              title: c.name,
              dataIndex: c.name,
              render: (v: unknown) => (v === null || v === undefined ? '–' : String(v)),
            }))}
          />
          {state.data.notes.map((n) => (
            <Typography.Text key={n} type="secondary">
              {n}
            </Typography.Text>
          ))}
        </Space>
      )}
    </Card>
  );
}
