/**
 * What every page needs from the store before it draws: the span of its orders (the default
 * period) and its currency (money formatting), from GET /v1/analytics/range, and who the key is.
 */
import { createContext, useContext } from 'react';

export interface StoreInfo {
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  readonly orders: number;
  readonly currency: string;
  readonly role: 'read' | 'ingest' | 'admin';
}

export const StoreContext = createContext<StoreInfo>({
  firstOrderAt: null,
  lastOrderAt: null,
  orders: 0,
  currency: 'USD',
  role: 'read',
});

export function useStore(): StoreInfo {
  return useContext(StoreContext);
}
