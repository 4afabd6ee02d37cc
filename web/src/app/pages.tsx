/**
 * Every page of the dashboard, one line each: a later capability (forecasts, risk, marketing,
 * reviews, the assistant) adds its folder under pages/ and a line here. Pages load on demand, so
 * the Overview does not wait for the code of the others.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from '../i18n/en';

export interface PageEntry {
  /** The path under /app ('overview' -> /app/overview); may carry params ('customers/:id'). */
  readonly path: string;
  /** In the side menu when set. */
  readonly menu?: MessageKey;
  readonly component: LazyExoticComponent<ComponentType>;
}

export const PAGES: readonly PageEntry[] = [
  { path: 'overview', menu: 'nav.overview', component: lazy(() => import('../pages/overview/OverviewPage')) },
  {
    path: 'customers',
    menu: 'nav.customers',
    component: lazy(() => import('../pages/customers/CustomersPage')),
  },
  { path: 'customers/:id', component: lazy(() => import('../pages/customer/CustomerPage')) },
  { path: 'products', menu: 'nav.products', component: lazy(() => import('../pages/products/ProductsPage')) },
  {
    path: 'forecasts',
    menu: 'nav.forecasts',
    component: lazy(() => import('../pages/forecasts/ForecastsPage')),
  },
  {
    path: 'marketing',
    menu: 'nav.marketing',
    component: lazy(() => import('../pages/marketing/MarketingPage')),
  },
  { path: 'reviews', menu: 'nav.reviews', component: lazy(() => import('../pages/reviews/ReviewsPage')) },
  { path: 'risk', menu: 'nav.risk', component: lazy(() => import('../pages/risk/RiskPage')) },
  { path: 'models', menu: 'nav.models', component: lazy(() => import('../pages/models/ModelsPage')) },
  {
    path: 'assistant',
    menu: 'nav.assistant',
    component: lazy(() => import('../pages/assistant/AssistantPage')),
  },
];
