/**
 * @module server/routes/route-plugin
 * The shape of a route file: a function that registers its routes on the app, given the context.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => Promise<void> | void;
