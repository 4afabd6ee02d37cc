/**
 * @module server/routes/upserts
 * Catalogue, customer and order changes from a shop's back end (role ingest): `PUT /v1/products/:id`,
 * `PUT /v1/customers/:id`, `POST /v1/orders`. Every row goes through the importer's pipeline
 * (warehouse/import/import-rows.ts): the same checks, the same upsert rules, and a refused row is a
 * 400 naming the field and the reason that is also kept in the quarantine, with the request as its
 * source. A request is all or nothing. An order's status change goes through updateOrderStatus, so
 * the status history stays point in time.
 */
import { FRAMES, type FrameName } from '../../ingest/frames.js';
import { parseIsoTimestamp } from '../../ingest/live-event.js';
import { ORDER_STATUSES, type OrderStatus } from '../../schema/tables.js';
import {
  importRows,
  keyedRowExists,
  unknownColumns,
  type RowsImportResult,
} from '../../warehouse/import/import-rows.js';
import { currentOrderStatus, updateOrderStatus } from '../../warehouse/order-status.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { orderFieldOf, orderRequest } from '../upserts/order-body.js';
import { documentationOnly } from './documentation-only.js';
import type { RoutePlugin } from './route-plugin.js';

const SCHEMA_TYPES = {
  text: { type: 'string' },
  money: { type: 'number' },
  number: { type: 'number' },
  integer: { type: 'integer' },
  timestamp: { type: 'string', format: 'date-time' },
  boolean: { type: 'boolean' },
  json: { type: 'object' },
} as const;

/** The body schema of a frame's row (for the document; the importer checks the values). */
function rowSchema(frame: FrameName, without: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      FRAMES[frame].columns
        .filter((c) => !without.includes(c.name))
        .map((c) => [c.name, { ...SCHEMA_TYPES[c.type], description: c.doc }]),
    ),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A refused request: 400 naming the field and the reason, with where the quarantine keeps it. */
function refused(
  result: Extract<RowsImportResult, { ok: false }>,
  fieldOf: (line: number, column: string | null) => string,
): never {
  const first = result.rejected[0]!;
  const field = fieldOf(first.line, first.column);
  throw httpError(
    400,
    'rejected_row',
    `${field}: ${first.detail} (${first.reason}); nothing was written and the row is kept in the quarantine (import ${result.importId})`,
    {
      import_id: result.importId,
      rejected: result.rejected.map((r) => ({
        field: fieldOf(r.line, r.column),
        reason: r.reason,
        detail: r.detail,
      })),
    },
  );
}

/** A keyed row (product or customer) from the path id and the body, through the import pipeline. */
async function upsertKeyed(
  wh: Warehouse,
  frame: 'products' | 'customers',
  key: 'product_id' | 'customer_id',
  id: string,
  body: unknown,
  source: string,
): Promise<{ created: boolean }> {
  if (!isObject(body)) throw httpError(400, 'invalid_request', 'the body must be a JSON object');
  if (key in body && String(body[key]) !== id)
    throw httpError(
      400,
      'invalid_request',
      `${key}: the body says '${String(body[key])}' but the path says '${id}'`,
    );
  const unknown = unknownColumns(frame, [body]);
  if (unknown.length) {
    const known = FRAMES[frame].columns.map((c) => c.name).filter((c) => c !== key);
    throw httpError(
      400,
      'invalid_request',
      `${unknown[0]}: unknown field; a ${frame.slice(0, -1)} has ${known.join(', ')}`,
    );
  }
  const before = await keyedRowExists(wh, frame, id);
  const result = await importRows(wh, { frame, rows: [{ ...body, [key]: id }], source });
  if (!result.ok) refused(result, (_line, column) => column ?? '');
  return { created: !before };
}

/** 201 when the id was new, 200 when it was updated; 400 names the refused field. */
function upsertResponses(idField: string, extra: Record<string, unknown> = {}): Record<number, unknown> {
  const ok = {
    type: 'object',
    required: [idField, 'created', 'request_id'],
    properties: {
      [idField]: { type: 'string' },
      created: { type: 'boolean' },
      request_id: { type: 'string' },
      ...extra,
    },
  };
  return { 200: ok, 201: ok, 400: ERROR_BODY_SCHEMA };
}

export const upsertRoutes: RoutePlugin = (app, ctx) => {
  const source = (req: { method: string; url: string; id: string }): string =>
    `${req.method} ${req.url} (request ${req.id})`;

  app.put(
    '/v1/products/:id',
    {
      config: { role: 'ingest' },
      validatorCompiler: documentationOnly,
      schema: {
        tags: ['ingest'],
        summary: 'Create or update a product (only the fields sent change)',
        description:
          'Checked like an imported catalogue row; a refused row is a 400 naming the field and is kept in the quarantine.',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', description: 'SKU or stock code', examples: ['85123A'] } },
        },
        body: {
          ...rowSchema('products', ['product_id']),
          examples: [
            { title: 'WHITE HANGING HEART T-LIGHT HOLDER', price: 2.55, currency: 'GBP', in_stock: true },
          ],
        },
        response: upsertResponses('product_id'),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { created } = await ctx.db.write((wh) =>
        upsertKeyed(wh, 'products', 'product_id', id, req.body, source(req)),
      );
      return reply.code(created ? 201 : 200).send({ product_id: id, created, request_id: req.id });
    },
  );

  app.put(
    '/v1/customers/:id',
    {
      config: { role: 'ingest' },
      validatorCompiler: documentationOnly,
      schema: {
        tags: ['ingest'],
        summary: 'Create or update a customer (only the fields sent change)',
        description:
          'Checked like an imported customer row; a refused row is a 400 naming the field and is kept in the quarantine.',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', description: 'store customer id', examples: ['12347'] } },
        },
        body: { ...rowSchema('customers', ['customer_id']), examples: [{ country: 'Iceland' }] },
        response: upsertResponses('customer_id'),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { created } = await ctx.db.write((wh) =>
        upsertKeyed(wh, 'customers', 'customer_id', id, req.body, source(req)),
      );
      return reply.code(created ? 201 : 200).send({ customer_id: id, created, request_id: req.id });
    },
  );

  const lineSchema = rowSchema('order_lines', []);
  app.post(
    '/v1/orders',
    {
      config: { role: 'ingest' },
      validatorCompiler: documentationOnly,
      schema: {
        tags: ['ingest'],
        summary: "Create or replace an order with its lines, or change a stored order's status",
        description:
          'With `lines`: the order is checked and loaded like an imported order (every product must be in the catalogue); ' +
          'a stored order is replaced, and a new status is recorded as a change at status_changed_at (default: now). ' +
          'Without `lines`: `{order_id, status, status_changed_at?}` changes the status of a stored order. ' +
          'A refused line is a 400 naming the field (`lines[1].unit_price`), kept in the quarantine; nothing of the order is written.',
        body: {
          type: 'object',
          required: ['order_id'],
          properties: {
            ...Object.fromEntries(
              Object.entries(lineSchema['properties'] as Record<string, unknown>).filter(([k]) =>
                FRAMES.order_lines.columns.some((c) => c.name === k && c.header),
              ),
            ),
            lines: {
              type: 'array',
              items: {
                type: 'object',
                properties: Object.fromEntries(
                  Object.entries(lineSchema['properties'] as Record<string, unknown>).filter(([k]) =>
                    ['line_no', 'product_id', 'quantity', 'unit_price', 'line_total', 'discount'].includes(k),
                  ),
                ),
              },
            },
          },
          examples: [
            {
              order_id: 'API-1001',
              customer_id: '12347',
              ordered_at: '2026-11-30T09:00:00Z',
              status: 'paid',
              currency: 'GBP',
              channel: 'web',
              lines: [{ product_id: '85123A', quantity: 2, unit_price: 2.55 }],
            },
          ],
        },
        response: upsertResponses('order_id', { status: { type: 'string', enum: [...ORDER_STATUSES] } }),
      },
    },
    async (req, reply) => {
      const request = orderRequest(req.body);
      if (request.kind === 'invalid')
        throw httpError(
          400,
          'invalid_request',
          `${request.field ? request.field + ': ' : ''}${request.reason}`,
        );
      const now = new Date();
      const changedAt = (given: unknown): Date => {
        if (given === undefined || given === null) return now;
        const t = parseIsoTimestamp(given);
        if (typeof t === 'string') throw httpError(400, 'invalid_request', `status_changed_at: ${t}`);
        return new Date(t);
      };
      const status = (given: unknown): OrderStatus => {
        if (typeof given !== 'string' || !(ORDER_STATUSES as readonly string[]).includes(given))
          throw httpError(
            400,
            'invalid_request',
            `status: '${String(given)}' is not one of ${ORDER_STATUSES.join(', ')}`,
          );
        return given as OrderStatus;
      };
      const outcome = await ctx.db.write(async (wh) => {
        const storedStatus = await currentOrderStatus(wh, request.orderId);
        const stored = storedStatus === undefined ? undefined : { status: storedStatus };
        if (request.kind === 'status') {
          if (!stored) throw httpError(404, 'unknown_order', `no order '${request.orderId}' in this store`);
          const next = status(request.status);
          const when = changedAt(request.changedAt);
          try {
            return {
              created: false,
              status: await updateOrderStatus(wh, {
                orderId: request.orderId,
                status: next,
                changedAt: when,
              }),
            };
          } catch (err) {
            if (err instanceof RangeError)
              throw httpError(400, 'invalid_request', `status_changed_at: ${err.message}`);
            throw err;
          }
        }
        const given = request.rows[0]!['status'];
        const newStatus = stored && given !== undefined && given !== stored.status ? status(given) : null;
        // Checked before anything is written: the change must not predate the order.
        const when = newStatus ? changedAt(request.rows[0]!['status_changed_at']) : now;
        const placed = parseIsoTimestamp(request.rows[0]!['ordered_at']);
        if (newStatus && typeof placed === 'number' && when.getTime() < placed)
          throw httpError(
            400,
            'invalid_request',
            'status_changed_at: the status change is before ordered_at',
          );
        // A stored order keeps its status through the import; a new one is recorded as a change.
        const rows = stored
          ? request.rows.map(({ status: _s, status_changed_at: _t, ...rest }) => rest)
          : request.rows;
        const result = await importRows(wh, {
          frame: 'order_lines',
          rows,
          source: source(req),
          unknownProducts: 'quarantine',
        });
        if (!result.ok) refused(result, orderFieldOf);
        let current = stored?.status ?? (given as OrderStatus | undefined) ?? 'placed';
        if (newStatus) {
          current = await updateOrderStatus(wh, {
            orderId: request.orderId,
            status: newStatus,
            changedAt: when,
          });
        }
        return { created: !stored, status: current };
      });
      return reply.code(outcome.created ? 201 : 200).send({
        order_id: request.orderId,
        created: outcome.created,
        status: outcome.status,
        request_id: req.id,
      });
    },
  );
};
