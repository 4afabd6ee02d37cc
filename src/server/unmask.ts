/**
 * @module server/unmask
 * The `unmask` query flag of routes that show personal fields (a customer's e-mail, their
 * attributes): masked by default (ml/text/personal-fields.ts); `?unmask=true` shows them as stored,
 * honoured only for an admin key, 403 `unmask_needs_admin` for any other (docs/privacy.md).
 */
import type { FastifyRequest } from 'fastify';
import { httpError } from './errors.js';

/** The querystring property, for a route's schema. */
export const UNMASK_QUERY = {
  type: 'boolean',
  description:
    'show personal fields (e-mail, personal attribute values) as stored; admin keys only (403 otherwise). Default: masked',
  examples: [false],
} as const;

/** True when the request asks for unmasked fields and may; throws 403 when it asks without the admin role. */
export function unmaskAllowed(req: FastifyRequest, unmask: boolean | undefined): boolean {
  if (!unmask) return false;
  if (req.apiKey?.role !== 'admin') {
    throw httpError(
      403,
      'unmask_needs_admin',
      `query/unmask: personal fields are shown as stored to admin keys only; key ${req.apiKey?.keyId ?? '(none)'} has role '${req.apiKey?.role ?? 'none'}'`,
    );
  }
  return true;
}
