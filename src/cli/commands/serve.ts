/**
 * @module cli/commands/serve
 * `shopsight serve`: the HTTP API over one store. The server owns the database while it runs (other
 * commands on the same file stop with a message naming it); SIGINT/SIGTERM close it gracefully.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseTimerInterval } from '../../core/duration.js';
import { retentionPolicy } from '../../ingest/retention-policy.js';
import { DEFAULT_SERVER_CONFIG } from '../../server/config.js';
import { startServer } from '../../server/serve.js';
import { resolveDbLocation } from '../../warehouse/open.js';
import { dbOption, suggest } from '../context.js';

interface Options {
  db?: string;
  port: number;
  host: string;
  bodyLimit: number;
  corsOrigin?: string;
  rateLimit: number;
  readConnections: number;
  logLevel: string;
  logPersonalData?: boolean;
  retrainEvery?: number;
  retrainTolerance: number;
  retainEvery?: number;
  retention?: string;
  eventsDays?: string;
  quarantineDays?: string;
}

const wholeNumber = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${v}'`);
  return n;
};

/** The parser of a `--...-every` option: a duration up to setInterval's longest delay. */
const timerInterval =
  (option: string) =>
  (v: string): number => {
    try {
      return parseTimerInterval(v, option);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };

export function serveCommand(): Command {
  const d = DEFAULT_SERVER_CONFIG;
  return new Command('serve')
    .description(
      'the HTTP API (recommendations, profiles, analytics, events) on http://HOST:PORT; reference at /docs',
    )
    .addOption(
      new Option('--port <n>', 'port (0: any free one)').argParser(wholeNumber('--port', 0)).default(d.port),
    )
    .addOption(
      new Option('--host <addr>', 'address to listen on (0.0.0.0 for every interface)').default(d.host),
    )
    .addOption(dbOption())
    .addOption(
      new Option('--body-limit <bytes>', 'largest request body')
        .argParser(wholeNumber('--body-limit', 1024))
        .default(d.bodyLimit),
    )
    .option(
      '--cors-origin <list>',
      'browser origins allowed to call the API (comma-separated); none by default',
    )
    .addOption(
      new Option('--rate-limit <n>', 'requests a minute per API key')
        .argParser(wholeNumber('--rate-limit', 1))
        .default(d.rateLimitPerMinute),
    )
    .addOption(
      new Option('--read-connections <n>', 'database connections for concurrent reads')
        .argParser(wholeNumber('--read-connections', 1))
        .default(d.readConnections),
    )
    .addOption(
      new Option('--log-level <level>', 'JSON log level on stdout')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default(d.logLevel),
    )
    .option(
      '--log-personal-data',
      'log client addresses, and e-mails, phone, ID and card numbers in URLs and messages, as they are (default: masked)',
    )
    .addOption(
      new Option(
        '--retrain-every <time>',
        'retrain every task that has a promoted model this often (6h, 1d, 90m); a new version is promoted only when not worse than the serving one',
      ).argParser(timerInterval('--retrain-every')),
    )
    .addOption(
      new Option(
        '--retrain-tolerance <x>',
        "how much lower a retrained version's validation metric may be and still be promoted",
      )
        .argParser((v) => {
          const x = Number(v);
          if (!(x >= 0) || !Number.isFinite(x) || v.trim() === '')
            throw new InvalidArgumentError(`--retrain-tolerance must be a number >= 0, got '${v}'`);
          return x;
        })
        .default(d.retrainTolerance),
    )
    .addOption(
      new Option(
        '--retain-every <time>',
        'apply the retention policy when the server starts and then this often (24h, 1d); counts logged',
      ).argParser(timerInterval('--retain-every')),
    )
    .option('--retention <file>', 'YAML or JSON config with privacy.retention (events_days, quarantine_days)')
    .option('--events-days <n>', 'retention: delete events older than n days (1 to 36500)')
    .option(
      '--quarantine-days <n>',
      'retention: delete quarantined rows of imports older than n days (1 to 36500)',
    )
    .action(async (opts: Options) => {
      const dbPath = resolveDbLocation(opts.db);
      const retention = retentionPolicy({
        ...(opts.retention ? { file: opts.retention } : {}),
        flags: {
          ...(opts.eventsDays !== undefined ? { eventsDays: opts.eventsDays } : {}),
          ...(opts.quarantineDays !== undefined ? { quarantineDays: opts.quarantineDays } : {}),
        },
      });
      const hasPolicy = retention.eventsDays !== undefined || retention.quarantineDays !== undefined;
      if (opts.retainEvery !== undefined && !hasPolicy) {
        throw new Error(
          '--retain-every needs a retention policy: --events-days, --quarantine-days or --retention <file> with privacy.retention',
        );
      }
      const server = await startServer({
        dbPath,
        port: opts.port,
        host: opts.host,
        bodyLimit: opts.bodyLimit,
        corsOrigins: (opts.corsOrigin ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        rateLimitPerMinute: opts.rateLimit,
        readConnections: opts.readConnections,
        logLevel: opts.logLevel,
        logPersonalData: Boolean(opts.logPersonalData),
        ...(opts.retrainEvery ? { retrainEverySeconds: opts.retrainEvery } : {}),
        retrainTolerance: opts.retrainTolerance,
        ...(hasPolicy ? { retention } : {}),
        ...(opts.retainEvery !== undefined ? { retainEverySeconds: opts.retainEvery } : {}),
      }).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (/^no database at/.test(message)) {
          throw new Error(
            `${message}: import a store first (${suggest('import <file-or-folder> --preset <name>', opts.db)} or ${suggest('demo', opts.db)})`,
          );
        }
        throw err;
      });
      const lines = [
        `shopsight serve: listening on ${server.url} (pid ${process.pid}, database ${server.ctx.config.dbPath})`,
        `  API reference: ${server.url}/docs   OpenAPI: ${server.url}/v1/openapi.json`,
      ];
      if (server.bootstrapKey) {
        lines.push(
          `  The store had no API key, so an admin key was made. It is shown this once; keep it:`,
          `    ${server.bootstrapKey}`,
          `  Make keys for clients with it: curl -X POST ${server.url}/v1/admin/keys -H "Authorization: Bearer <admin key>" -H "content-type: application/json" -d '{"role":"read"}'`,
        );
      }
      process.stderr.write(lines.join('\n') + '\n');
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          process.stderr.write(`shopsight serve: ${signal}, finishing requests and closing the database\n`);
          server.close().then(resolve, (err: unknown) => {
            process.stderr.write(`shopsight serve: shutdown failed: ${String(err)}\n`);
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
