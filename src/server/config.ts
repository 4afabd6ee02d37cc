/**
 * @module server/config
 * What `shopsight serve` can be told, with the defaults a storefront on one machine needs.
 */
import type { RetentionPolicy } from '../ingest/retention-policy.js';
import { DEFAULT_RETRAIN_TOLERANCE } from '../registry/retrain-decision.js';
import type { TrainingTask } from '../registry/training.js';
import type { DecisionRewardSettings } from './decision-rewards.js';

export interface ServerConfig {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** The DuckDB file the server owns while it runs. */
  readonly dbPath: string;
  /** Largest request body in bytes; an event batch of 10,000 is about 3 MB. */
  readonly bodyLimit: number;
  /** Allowed browser origins for CORS; empty: no cross-origin access (curl and servers are unaffected). */
  readonly corsOrigins: readonly string[];
  /** Requests per minute per API key (per address for requests without one). */
  readonly rateLimitPerMinute: number;
  /** Read connections to the database for concurrent requests. */
  readonly readConnections: number;
  /** pino level: 'info' by default, 'silent' in tests. */
  readonly logLevel: string;
  /** Log client addresses and personal data in URLs and messages as they are (`--log-personal-data`); default masked. */
  readonly logPersonalData?: boolean;
  /** Seconds between scheduled retrainings (`--retrain-every`); undefined: none. */
  readonly retrainEverySeconds?: number;
  /** Seconds between retention runs (`--retain-every`); undefined: none. Needs `retention`. */
  readonly retainEverySeconds?: number;
  /** The retention policy (`privacy.retention` of `--retention <file>`, or the day flags). */
  readonly retention?: RetentionPolicy;
  /** The clock retention counts ages back from; tests inject one. Default: the system clock. */
  readonly clock?: () => Date;
  /** How much worse a retrained version may score and still be promoted (`--retrain-tolerance`). */
  readonly retrainTolerance: number;
  /**
   * Tasks to train again in the background as soon as the server listens, each new version served
   * only when it is not worse (`shopsight start` after its fast first models: the recommender as
   * `auto`, which compares every candidate within its budget). Jobs of trigger `start`.
   */
  readonly improveInBackground?: readonly TrainingTask[];
  /** Bandit rewards from the events: how often to look, how long to wait for late events (decision-rewards.ts). */
  readonly decisionRewards?: DecisionRewardSettings;
}

export const DEFAULT_SERVER_CONFIG: Omit<ServerConfig, 'dbPath'> = {
  host: '127.0.0.1',
  port: 8080,
  bodyLimit: 8 * 1024 * 1024,
  corsOrigins: [],
  rateLimitPerMinute: 120_000,
  readConnections: 4,
  logLevel: 'info',
  retrainTolerance: DEFAULT_RETRAIN_TOLERANCE,
};
