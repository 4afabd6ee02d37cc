/**
 * @module server/errors
 * One error shape for every failure the API returns:
 * `{"error": {"status", "code", "message", "details"?}, "request_id"}`. Handlers throw httpError;
 * app.ts turns it (and Fastify's own validation, body and content-type errors) into that body.
 */

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    /** A stable machine-readable code (snake_case), e.g. `unknown_customer`. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function httpError(status: number, code: string, message: string, details?: unknown): HttpError {
  return new HttpError(status, code, message, details);
}

export interface ErrorBody {
  readonly error: {
    readonly status: number;
    readonly code: string;
    readonly message: string;
    readonly details?: unknown;
  };
  readonly request_id: string;
}

/** The JSON schema of ErrorBody, for the OpenAPI document's error responses. */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['error', 'request_id'],
  properties: {
    error: {
      type: 'object',
      required: ['status', 'code', 'message'],
      properties: {
        status: { type: 'integer' },
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
      },
    },
    request_id: { type: 'string' },
  },
} as const;
