/**
 * @module server/routes/recommendations
 * The storefront's recommendation routes (issue 8, part 5), answered from memory by the model
 * serving the visitor (the promoted one, or their A/B variant): for a customer, similar items,
 * bought together, and next items for a session. Every response names its request id, model
 * version and source, gives each item its reason, and is logged as an impression (in batches, off
 * the request path). The business rules of `shopsight recommend` are query parameters.
 *
 * They run on a ClickHouse cluster too (the model from its registry, the catalogue from its nodes;
 * no A/B split and no impressions there yet: recommend-service.ts).
 *
 * Unknown ids (docs/server.md): a customer the model has never seen gets popular items with
 * `cold_start: true` (a storefront wants an answer for a new visitor; the note says why); a product
 * id that is not in the catalogue at all is a 404 `unknown_product`.
 */
import type { RecommendAnswer } from '../../tasks/recommend/recommender.js';
import { businessRules, type RuleOptions } from '../../tasks/recommend/serving.js';
import { httpError } from '../errors.js';
import { recommendService, rulesKeyOf, type Served, type Visitor } from '../recommend-service.js';
import type { RoutePlugin } from './route-plugin.js';

interface RuleQuery {
  k?: number;
  include_bought?: boolean;
  include_out_of_stock?: boolean;
  category?: string;
  min_price?: number;
  max_price?: number;
  max_per_category?: number;
  boost?: string;
  bury?: string;
  preview?: boolean;
}
interface VisitorQuery {
  customer_id?: string;
  anonymous_id?: string;
  session_id?: string;
}

const list = (v: string | undefined): string[] =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

const RULE_QUERY = {
  k: { type: 'integer', minimum: 1, maximum: 100, default: 10, description: 'list length', examples: [5] },
  include_bought: {
    type: 'boolean',
    description: 'allow items the customer already has',
    examples: [false],
  },
  include_out_of_stock: {
    type: 'boolean',
    description: 'allow items marked out of stock',
    examples: [false],
  },
  category: { type: 'string', description: 'only these categories (comma-separated)', examples: [''] },
  min_price: { type: 'number', minimum: 0, description: 'lowest price shown', examples: [0.5] },
  max_price: { type: 'number', minimum: 0, description: 'highest price shown', examples: [50] },
  max_per_category: {
    type: 'integer',
    minimum: 1,
    description: 'diversity: at most this many items of a category',
    examples: [3],
  },
  boost: { type: 'string', description: 'product ids to push up (comma-separated)', examples: ['22423'] },
  bury: { type: 'string', description: 'product ids to push down (comma-separated)', examples: ['85099B'] },
  preview: {
    type: 'boolean',
    description:
      'a look, not an impression (the dashboard, a merchant testing rules): answered the same, but not ' +
      'logged, so the CTR and A/B figures count only lists shoppers were shown',
    examples: [false],
  },
} as const;

const VISITOR_QUERY = {
  customer_id: {
    type: 'string',
    minLength: 1,
    description: 'the visitor, when known: chooses the A/B variant, kept with the impression',
    examples: ['12347'],
  },
  anonymous_id: {
    type: 'string',
    minLength: 1,
    description: 'a visitor without an account (the A/B variant when there is no customer id)',
    examples: ['anon-7f3a'],
  },
  session_id: { type: 'string', minLength: 1, description: 'kept with the impression', examples: ['s-1029'] },
} as const;

const ITEM = {
  type: 'object',
  required: ['product_id', 'title', 'score', 'reason', 'rank'],
  properties: {
    product_id: { type: 'string' },
    title: { type: 'string', nullable: true },
    score: { type: 'number', description: "the producing model's own score (not comparable across sources)" },
    reason: { type: 'string' },
    rank: { type: 'integer' },
  },
} as const;

const ANSWER = {
  type: 'object',
  required: ['items', 'request_id', 'model_version', 'source', 'cold_start'],
  properties: {
    items: { type: 'array', items: ITEM },
    request_id: { type: 'string', description: 'send it back with events to attribute them to this list' },
    model_version: { type: 'integer' },
    source: {
      type: 'string',
      description:
        'the list that answered: the model, item-knn, content, category-popularity, popularity or bought-together',
    },
    cold_start: {
      type: 'boolean',
      description: 'true when a fallback answered (unknown visitor or product)',
    },
    note: { type: 'string' },
    variant: {
      type: 'string',
      description: 'the A/B variant that served this visitor (when a split is in force)',
    },
    preview: {
      type: 'boolean',
      description: 'true when asked with preview=true: not logged as an impression',
    },
  },
} as const;

/** Params, query string and response of the two product-page routes (`example`: a product id). */
function productPage(example: string) {
  return {
    params: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', minLength: 1, description: 'product id', examples: [example] } },
    },
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: { ...RULE_QUERY, ...VISITOR_QUERY },
    },
    response: { 200: ANSWER },
  } as const;
}

function ruleOptions(q: RuleQuery): RuleOptions {
  if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
    throw httpError(
      400,
      'invalid_request',
      `querystring/min_price: ${q.min_price} is above max_price ${q.max_price}`,
    );
  }
  return {
    includeBought: q.include_bought,
    includeOutOfStock: q.include_out_of_stock,
    categories: list(q.category),
    minPrice: q.min_price,
    maxPrice: q.max_price,
    maxPerCategory: q.max_per_category,
    boost: list(q.boost),
    bury: list(q.bury),
  };
}

function visitorOf(q: VisitorQuery): Visitor {
  return { customerId: q.customer_id, anonymousId: q.anonymous_id, sessionId: q.session_id };
}

export const recommendationRoutes: RoutePlugin = async (app, ctx) => {
  const service = recommendService(ctx);
  // Load the promoted model and mine the catalogue lists as soon as the server listens, in the
  // background: the first visitor should not wait the seconds this takes. No model yet is fine.
  app.addHook('onListen', async () => {
    const t0 = performance.now();
    service.servingFor({}).then(
      (s) =>
        ctx.log.info(
          { version: s.version, ms: Math.round(performance.now() - t0) },
          'recommend model loaded',
        ),
      (err: unknown) =>
        ctx.log.info({ reason: (err as Error).message }, 'no recommend model loaded at start'),
    );
  });

  /** The response body, and its impression recorded (unless it is a preview). */
  const respond = (
    requestId: string,
    surface: 'user' | 'item' | 'together' | 'session',
    visitor: Visitor,
    served: Served,
    answer: RecommendAnswer,
    preview: boolean | undefined,
  ) => {
    if (!preview)
      service.record({
        requestId,
        surface,
        customerId: visitor.customerId ?? null,
        anonymousId: visitor.anonymousId ?? null,
        sessionId: visitor.sessionId ?? null,
        modelVersion: served.version,
        variant: served.variant?.name ?? null,
        productIds: answer.items.map((i) => i.productId),
      });
    return {
      items: answer.items.map((i) => ({
        product_id: i.productId,
        title: i.title,
        score: i.score,
        reason: i.reason,
        rank: i.rank,
      })),
      request_id: requestId,
      model_version: served.version,
      source: answer.source,
      cold_start: answer.coldStart,
      ...(answer.note ? { note: answer.note } : {}),
      ...(served.variant ? { variant: served.variant.name } : {}),
      ...(preview ? { preview: true } : {}),
    };
  };

  const knownProduct = (served: Served, id: string, field: string): void => {
    if (!served.serving.products.has(id)) {
      throw httpError(404, 'unknown_product', `${field}: no product '${id}' in this store's catalogue`);
    }
  };

  app.get<{ Params: { id: string }; Querystring: RuleQuery & Pick<VisitorQuery, 'session_id'> }>(
    '/v1/recommendations/user/:id',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['recommendations'],
        summary: 'Recommendations for a customer',
        description:
          'A personal list from the serving model, without what the customer already bought (unless include_bought). ' +
          'A customer the model has never seen gets popular items with cold_start true and a note: a storefront ' +
          'gets an answer for every visitor.',
        params: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string', minLength: 1, description: 'customer id', examples: ['12347'] },
          },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...RULE_QUERY, session_id: VISITOR_QUERY.session_id },
        },
        response: { 200: ANSWER },
      },
    },
    async (req) => {
      const visitor: Visitor = { customerId: req.params.id, sessionId: req.query.session_id };
      const served = await service.servingFor(visitor);
      const r = served.serving.recommender;
      const { session_id: _session, preview: _preview, ...rules } = req.query;
      const answer = service.forUser(served.serving, req.params.id, rulesKeyOf(rules), () =>
        r.forUser(req.params.id, req.query.k ?? 10, businessRules(r, ruleOptions(req.query))),
      );
      return respond(req.id, 'user', visitor, served, answer, req.query.preview);
    },
  );

  app.get<{ Params: { id: string }; Querystring: RuleQuery & VisitorQuery }>(
    '/v1/recommendations/item/:id',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['recommendations'],
        summary: 'Items similar to a product',
        description:
          'Products bought by the same customers; for a product nobody bought yet, products with a similar ' +
          'description (cold_start true), then popular items of its category. A product id not in the ' +
          'catalogue is a 404.',
        ...productPage('85123A'),
      },
    },
    async (req) => {
      const visitor = visitorOf(req.query);
      const served = await service.servingFor(visitor);
      knownProduct(served, req.params.id, 'params/id');
      const r = served.serving.recommender;
      const answer = r.similarItems(
        req.params.id,
        req.query.k ?? 10,
        businessRules(r, ruleOptions(req.query)),
      );
      return respond(req.id, 'item', visitor, served, answer, req.query.preview);
    },
  );

  app.get<{ Params: { id: string }; Querystring: RuleQuery & VisitorQuery }>(
    '/v1/recommendations/item/:id/together',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['recommendations'],
        summary: 'Frequently bought together with a product',
        description:
          'Association rules over the sales orders, by lift, each with its evidence (orders and lift) as the ' +
          'reason; the stock, price and category rules apply. A product id not in the catalogue is a 404.',
        ...productPage('22697'),
      },
    },
    async (req) => {
      const visitor = visitorOf(req.query);
      const served = await service.servingFor(visitor);
      knownProduct(served, req.params.id, 'params/id');
      const answer = served.serving.together.answer(req.params.id, req.query.k ?? 10, ruleOptions(req.query));
      return respond(req.id, 'together', visitor, served, answer, req.query.preview);
    },
  );

  app.post<{ Body: { items: string[] } & VisitorQuery; Querystring: RuleQuery }>(
    '/v1/recommendations/session',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['recommendations'],
        summary: 'Next items for a session',
        description:
          'Next items for a visitor from the products they just viewed (oldest first). Ids outside the ' +
          'catalogue are ignored and named in the note; when none is in the catalogue, 404.',
        querystring: { type: 'object', additionalProperties: false, properties: RULE_QUERY },
        body: {
          type: 'object',
          required: ['items'],
          additionalProperties: false,
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: { type: 'string', minLength: 1 },
              description: 'product ids just viewed, oldest first',
            },
            ...VISITOR_QUERY,
          },
          examples: [{ items: ['85123A', '71053'], anonymous_id: 'anon-7f3a', session_id: 's-1029' }],
        },
        response: { 200: ANSWER },
      },
    },
    async (req) => {
      const visitor = visitorOf(req.body);
      const served = await service.servingFor(visitor);
      const known = req.body.items.filter((id) => served.serving.products.has(id));
      if (!known.length) {
        throw httpError(
          404,
          'unknown_product',
          `body/items: none of ${req.body.items.map((id) => `'${id}'`).join(', ')} is in this store's catalogue`,
        );
      }
      const r = served.serving.recommender;
      const answer = r.forSession(
        req.body.items,
        req.query.k ?? 10,
        businessRules(r, ruleOptions(req.query)),
      );
      return respond(req.id, 'session', visitor, served, answer, req.query.preview);
    },
  );
};
