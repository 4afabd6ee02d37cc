/**
 * @module server/log-masking
 * The server's log lines carry no personal data unless the admin who starts it asks
 * (`serve --log-personal-data`): the client's address is logged as `[IP]`, and e-mails, phone, ID
 * and card numbers, IPs and addresses in the URL, the message and the string fields of a log call
 * are masked (ml/text/pii.ts). The Authorization header is redacted either way (app.ts).
 */
import { maskPii } from '../ml/text/pii.js';

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly hostname?: string;
  readonly ip?: string;
  readonly socket?: { readonly remoteAddress?: string; readonly remotePort?: number };
}

/** A URL with its escapes undone (jo%40example.com is an e-mail too); as it is when it does not decode. */
function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** A log call's argument with personal data masked: strings, the string fields of a plain object, an error's message and stack. */
function maskArg(arg: unknown): unknown {
  if (typeof arg === 'string') return maskPii(arg);
  if (arg instanceof Error) {
    return Object.assign(new Error(maskPii(arg.message)), {
      name: arg.name,
      stack: arg.stack === undefined ? undefined : maskPii(arg.stack),
    });
  }
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return arg;
  if (Object.getPrototypeOf(arg) !== Object.prototype) return arg; // requests, replies: their serializers mask
  return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, maskArg(v)]));
}

/** pino options for Fastify's logger: serializers and a hook that mask, or nothing when personal data may be logged. */
export function logMaskingOptions(logPersonalData: boolean): {
  serializers?: { req: (req: LoggedRequest) => Record<string, unknown> };
  hooks?: { logMethod: (this: unknown, args: unknown[], method: (...a: unknown[]) => void) => void };
} {
  if (logPersonalData) return {};
  return {
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: req.url === undefined ? undefined : maskPii(decoded(req.url)),
        host: req.host ?? req.hostname,
        remoteAddress: (req.ip ?? req.socket?.remoteAddress) ? '[IP]' : undefined,
      }),
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map(maskArg));
      },
    },
  };
}
