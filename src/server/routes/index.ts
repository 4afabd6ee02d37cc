/**
 * @module server/routes/index
 * Every route file of the API, one line each. A capability adds its file here when its task lands:
 * an endpoint exists only when the work behind it does.
 */
import { abAdminRoutes } from './ab-admin.js';
import { analyticsRoutes } from './analytics.js';
import { campaignRoutes } from './campaigns.js';
import { dashboardRoutes } from './dashboard.js';
import { decisionRoutes } from './decisions.js';
import { assistantRoutes } from './assistant.js';
import { customerTableRoutes } from './customer-table.js';
import { eventsRoutes } from './events.js';
import { feedbackRoutes } from './feedback.js';
import { forecastRoutes } from './forecasts.js';
import { adminImportRoutes } from './admin-import.js';
import { adminModelsRoutes } from './admin-models.js';
import { adminPrivacyRoutes } from './admin-privacy.js';
import { adminRetentionRoutes } from './admin-retention.js';
import { adminTrainingRoutes } from './admin-training.js';
import { healthRoutes } from './health.js';
import { keysRoutes } from './keys.js';
import { meRoutes } from './me.js';
import { pricingRoutes } from './pricing.js';
import { orderRiskRoutes } from './order-risk.js';
import { profileRoutes } from './profile.js';
import { recommendationRoutes } from './recommendations.js';
import { reviewInsightRoutes } from './review-insight.js';
import { reviewOverviewRoutes } from './review-overview.js';
import { riskOrdersRoutes } from './risk-orders.js';
import type { RoutePlugin } from './route-plugin.js';
import { upsertRoutes } from './upserts.js';

export const ROUTES: readonly RoutePlugin[] = [
  healthRoutes,
  keysRoutes,
  eventsRoutes,
  upsertRoutes,
  recommendationRoutes,
  abAdminRoutes,
  profileRoutes,
  customerTableRoutes,
  analyticsRoutes,
  feedbackRoutes,
  adminTrainingRoutes,
  adminModelsRoutes,
  adminImportRoutes,
  adminPrivacyRoutes,
  adminRetentionRoutes,
  meRoutes,
  dashboardRoutes,
  forecastRoutes,
  pricingRoutes,
  assistantRoutes,
  decisionRoutes,
  reviewInsightRoutes,
  orderRiskRoutes,
  riskOrdersRoutes,
  campaignRoutes,
  reviewOverviewRoutes,
];
