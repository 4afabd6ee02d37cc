/**
 * Calls to the Shopsight HTTP API (docs/server.md) with the session's key. Every failure becomes an
 * ApiError carrying the API's own error code and message, which the error state shows as is.
 */
import { sessionKey } from './session';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** '/v1/x' + the defined query fields, in a stable order (so equal requests share a cache entry). */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query).sort(([a], [b]) => a.localeCompare(b))) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function apiFetch<T>(url: string, init: RequestInit = {}, signal?: AbortSignal): Promise<T> {
  const key = sessionKey();
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...init, headers, signal: signal ?? null });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, 'not_json', `${url}: the answer is not JSON (${res.status})`);
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? `${url}: HTTP ${res.status}`);
  }
  return body as T;
}

/**
 * Answers started before the page asked for them (src/boot.ts starts the first page's calls while its
 * JavaScript is still loading). The first GET of the same URL within EARLY_MS takes the answer.
 */
const early = new Map<string, { at: number; answer: Promise<unknown> }>();
const EARLY_MS = 10_000;

export function prefetchGet<T>(path: string, query: Query = {}): Promise<T> {
  const url = apiUrl(path, query);
  const answer = apiFetch<T>(url);
  // A failure is shown by the page that takes the answer, not reported here as unhandled.
  answer.catch(() => undefined);
  early.set(url, { at: Date.now(), answer });
  return answer;
}

export function apiGet<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  const url = apiUrl(path, query);
  const started = early.get(url);
  if (started) {
    early.delete(url);
    if (Date.now() - started.at < EARLY_MS) return started.answer as Promise<T>;
  }
  return apiFetch<T>(url, {}, signal);
}

export function apiPost<T>(path: string, body: unknown): Promise<T> {
  return apiFetch<T>(path, { method: 'POST', body: JSON.stringify(body) });
}
