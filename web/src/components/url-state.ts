/**
 * Filters live in the URL's query (`?from=2011-09-01&to=2011-12-01&by=week`), so every view can be
 * bookmarked, shared and reloaded as it was. A setter merges fields; an empty value removes one.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

export function useUrlState(): [URLSearchParams, (patch: Record<string, string | null | undefined>) => void] {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (patch: Record<string, string | null | undefined>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === undefined || v === '') next.delete(k);
            else next.set(k, v);
          }
          return next;
        },
        { replace: false },
      ),
    [setParams],
  );
  return [params, set];
}
