/**
 * A throwaway local cluster for tests: scripts/clickhouse-cluster.sh in a scratch folder on random
 * loopback ports, stopped and removed by stop(). `installed` says whether clickhouse-server is on
 * this machine; suites that need it print why they are skipped instead of passing silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/clickhouse-cluster.sh', import.meta.url));

export const clickhouseInstalled = spawnSync('sh', ['-c', 'command -v clickhouse-server']).status === 0;

export const SKIP_MESSAGE =
  'ClickHouse contract tests SKIPPED: clickhouse-server is not installed ' +
  '(apt-get install -y clickhouse-server clickhouse-client; .ci/run installs it)';

export interface TestCluster {
  /** clickhouse://... URL of database `database` on the cluster. */
  url(database: string): string;
  readonly basePort: number;
  /** The cluster's folder: node<i>/data is node i's data. */
  readonly dir: string;
  /** Node i's HTTP address (1-based). */
  nodeUrl(node: number): string;
  /** SIGKILL node i's server process, as a crash would (its pid from the script's pid file). */
  killNode(node: number): void;
  /** The script's start again: starts the nodes that are down, leaves running ones alone. */
  restart(): void;
  stop(): void;
}

export function startTestCluster(shards: number, options: { dir?: string } = {}): TestCluster {
  // `dir` (the scale bench measures its data folders) is created by the script and removed by stop().
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'shopsight-ch-cluster-'));
  // Ports 20000-59990 in steps of 10 per node; a clash with a port in use fails start with a message.
  const basePort = 20000 + 10 * Math.floor(Math.random() * (4000 - shards));
  const args = ['--shards', String(shards), '--dir', dir, '--base-port', String(basePort)];
  try {
    execFileSync('bash', [SCRIPT, 'start', ...args], { stdio: 'pipe', timeout: 90_000 });
  } catch (err) {
    execFileSync('bash', [SCRIPT, 'stop', '--dir', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `could not start the test cluster: ${String((err as { stderr?: Buffer }).stderr ?? err)}`,
      {
        cause: err,
      },
    );
  }
  const start = (): void => {
    execFileSync('bash', [SCRIPT, 'start', ...args], { stdio: 'pipe', timeout: 90_000 });
  };
  return {
    basePort,
    dir,
    nodeUrl: (node) => `http://127.0.0.1:${basePort + 10 * (node - 1)}`,
    killNode(node) {
      const pid = Number(readFileSync(join(dir, `node${node}`, 'server.pid'), 'utf8').trim());
      process.kill(pid, 'SIGKILL');
      // The port is free once the process is gone; wait for that (a few ms) so a ping fails at once.
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        try {
          process.kill(pid, 0);
        } catch {
          return;
        }
        spawnSync('sleep', ['0.05']);
      }
      throw new Error(`node ${node} (pid ${pid}) still runs 10 s after SIGKILL`);
    },
    restart: start,
    url: (database) => `clickhouse://127.0.0.1:${basePort}/${database}?cluster=shopsight`,
    stop() {
      execFileSync('bash', [SCRIPT, 'stop', '--dir', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
