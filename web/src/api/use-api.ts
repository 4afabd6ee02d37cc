/**
 * `useApi('/v1/analytics/kpis', { from, to })`: the answer, the error, and whether it is loading,
 * for a page to show one of its three states. A changed query aborts the request in flight, so a
 * quick filter change never shows an older answer over a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import { apiGet, apiUrl, type Query } from './client';

export interface ApiState<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useApi<T>(path: string | null, query: Query = {}): ApiState<T> {
  const url = path === null ? null : apiUrl(path, query);
  const [state, setState] = useState<{ url: string | null; data?: T; error?: Error }>({ url: null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (url === null) return;
    const ctl = new AbortController();
    setState((s) => ({ url, data: s.url === url ? s.data : undefined }));
    apiGet<T>(url, {}, ctl.signal).then(
      (data) => setState({ url, data }),
      (error: Error) => {
        if (!ctl.signal.aborted) setState({ url, error });
      },
    );
    return () => ctl.abort();
  }, [url, tick]);
  const current = state.url === url;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: url !== null && (!current || (state.data === undefined && state.error === undefined)),
    reload,
  };
}
