/**
 * The three states every panel has besides its content: loading (a skeleton the size of what
 * comes), empty (what to do next) and error (the API's message, and a retry).
 */
import { Alert, Button, Empty, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import type { ApiState } from '../api/use-api';
import { useI18n } from '../i18n/i18n';

export function ErrorState(props: { error: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      data-state="error"
      title={t('state.error')}
      description={props.error.message}
      action={props.onRetry ? <Button onClick={props.onRetry}>{t('state.retry')}</Button> : undefined}
    />
  );
}

export function EmptyState(props: { hint: string }) {
  return <Empty data-state="empty" description={props.hint} />;
}

/**
 * Renders `children(data)` once the answer is there; the skeleton, the error or the empty hint
 * before and instead. `isEmpty` decides when an answer has nothing to show.
 */
export function Loaded<T>(props: {
  state: ApiState<T>;
  isEmpty?: (data: T) => boolean;
  emptyHint?: string;
  rows?: number;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  const { data, error, reload } = props.state;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (data === undefined)
    return <Skeleton active paragraph={{ rows: props.rows ?? 4 }} data-state="loading" />;
  if (props.isEmpty?.(data)) return <EmptyState hint={props.emptyHint ?? t('state.empty')} />;
  return <>{props.children(data)}</>;
}
