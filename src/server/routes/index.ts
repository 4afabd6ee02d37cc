/**
 * @module server/routes/index
 * Every route file of the API, one line each. A capability adds its file here when its task lands:
 * an endpoint exists only when the work behind it does.
 */
import { eventsRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { keysRoutes } from './keys.js';
import { upsertRoutes } from './upserts.js';
import type { RoutePlugin } from './route-plugin.js';

export const ROUTES: readonly RoutePlugin[] = [healthRoutes, keysRoutes, eventsRoutes, upsertRoutes];
