/**
 * @module server/routes/index
 * Every route file of the API, one line each. A capability adds its file here when its task lands:
 * an endpoint exists only when the work behind it does.
 */
import { analyticsRoutes } from './analytics.js';
import { feedbackRoutes } from './feedback.js';
import { adminImportRoutes } from './admin-import.js';
import { adminModelsRoutes } from './admin-models.js';
import { adminTrainingRoutes } from './admin-training.js';
import { healthRoutes } from './health.js';
import { keysRoutes } from './keys.js';
import { abAdminRoutes } from './ab-admin.js';
import { profileRoutes } from './profile.js';
import { recommendationRoutes } from './recommendations.js';
import type { RoutePlugin } from './route-plugin.js';

export const ROUTES: readonly RoutePlugin[] = [
  healthRoutes,
  keysRoutes,
  recommendationRoutes,
  abAdminRoutes,
  profileRoutes,
  analyticsRoutes,
  feedbackRoutes,
  adminTrainingRoutes,
  adminModelsRoutes,
  adminImportRoutes,
];
