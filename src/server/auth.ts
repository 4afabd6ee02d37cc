/**
 * @module server/auth
 * Who may call what. Every route declares `config.role`; the hook checks the bearer key before
 * anything else runs (body parsing included), so a request without the right key costs nothing.
 * admin may call every route; ingest only the ingest routes; read only the read routes; public
 * routes (health, the API document) need no key. 401: no key, or a key that is unknown, wrong or
 * revoked; 403: a live key of the wrong role. Keys are never logged.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { verifyApiKey, type ApiKeyRecord, type ApiRole } from '../warehouse/api-keys.js';
import type { KeyRing } from './context.js';
import { HttpError } from './errors.js';

export type RouteRole = ApiRole | 'public';

export interface RequestKey {
  readonly keyId: string;
  readonly role: ApiRole;
  readonly name: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (required on every route; app.ts refuses to start without it). */
    role?: RouteRole;
  }
  interface FastifyRequest {
    /** The key that authenticated the request (undefined on public routes). */
    apiKey?: RequestKey;
  }
}

export function mayCall(keyRole: ApiRole, routeRole: RouteRole): boolean {
  return routeRole === 'public' || keyRole === 'admin' || keyRole === routeRole;
}

export function installAuth(app: FastifyInstance, keys: KeyRing): void {
  app.addHook('onRoute', (route) => {
    // The reference page's own routes (HTML, scripts) are public; every other route must say.
    if (route.url.startsWith('/docs')) route.config = { ...route.config, role: 'public' };
    else if (!route.config?.role) {
      throw new Error(`route ${route.method} ${route.url} declares no config.role`);
    }
  });
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const role = req.routeOptions.config.role;
    if (role === undefined || role === 'public') return; // unknown URL: the 404 handler answers
    const key = authenticate(req.headers.authorization, keys.all());
    if (!mayCall(key.role, role)) {
      throw new HttpError(
        403,
        'forbidden',
        `this route needs a key with role '${role}'; key ${key.keyId} has role '${key.role}'`,
      );
    }
    req.apiKey = { keyId: key.keyId, role: key.role, name: key.name };
  });
}

function authenticate(header: string | undefined, keys: readonly ApiKeyRecord[]): ApiKeyRecord {
  const challenge = { 'WWW-Authenticate': 'Bearer' };
  if (!header) {
    throw new HttpError(
      401,
      'unauthorized',
      'missing API key: send Authorization: Bearer <key>',
      undefined,
      challenge,
    );
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) {
    throw new HttpError(
      401,
      'unauthorized',
      'the Authorization header must be "Bearer <key>"',
      undefined,
      challenge,
    );
  }
  const verdict = verifyApiKey(keys, m[1]!);
  if (!verdict.ok) throw new HttpError(401, 'unauthorized', verdict.reason, undefined, challenge);
  return verdict.key;
}
