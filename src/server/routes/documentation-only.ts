/**
 * @module server/routes/documentation-only
 * For routes whose JSON schema documents the body (for the OpenAPI document) while the route checks
 * it itself: event batches are checked event by event (one bad event must not fail its batch), and
 * upserted rows by the importer's own checks, so a refused row reaches the quarantine with its
 * reason instead of stopping at a schema error.
 */
import type { FastifySchemaCompiler } from 'fastify';

export const documentationOnly: FastifySchemaCompiler<unknown> = () => (data) => ({ value: data });
