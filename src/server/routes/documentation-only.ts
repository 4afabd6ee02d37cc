/**
 * @module server/routes/documentation-only
 * For routes whose JSON schema documents the body (for the OpenAPI document) while the route checks
 * it itself: event batches are checked event by event (one bad event must not fail its batch), and
 * upserted rows by the importer's own checks, so a refused row reaches the quarantine with its
 * reason instead of stopping at a schema error. Such a route takes JSON only: Fastify would parse a
 * text/plain body into a string and the route would then call a wrong content type a wrong shape.
 */
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { httpError } from '../errors.js';

export const documentationOnly: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });

/** A preValidation hook: 415 unless the body was sent as application/json. */
export async function jsonBodyOnly(req: FastifyRequest): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw httpError(
      415,
      'unsupported_media_type',
      `${req.method} ${req.routeOptions.url} takes a JSON body (content-type: application/json), not '${type || 'none'}'`,
    );
  }
}
