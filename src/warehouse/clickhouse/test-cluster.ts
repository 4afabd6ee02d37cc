/**
 * A throwaway local cluster for tests: scripts/clickhouse-cluster.sh in a scratch folder on random
 * loopback ports, stopped and removed by stop(). `installed` says whether clickhouse-server is on
 * this machine; suites that need it print why they are skipped instead of passing silently.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  // Base ports 20000-31990 in steps of 10 (a node takes base + 10 (n - 1) and the next port), below
  // Linux's ephemeral range (32768 up), where an outgoing connection may hold a port. A clash with a
  // port in use (another test's cluster) makes a node exit at start: a new base port is tried.
  let basePort = 0;
  let args: string[] = [];
  const failures: string[] = [];
  for (let attempt = 1; ; attempt++) {
    basePort = 20000 + 10 * Math.floor(Math.random() * (1200 - shards));
    args = ['--shards', String(shards), '--dir', dir, '--base-port', String(basePort)];
    try {
      execFileSync('bash', [SCRIPT, 'start', ...args], { stdio: 'pipe', timeout: 90_000 });
      break;
    } catch (err) {
      execFileSync('bash', [SCRIPT, 'stop', '--dir', dir], { stdio: 'ignore' });
      failures.push(`base port ${basePort}: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`could not start the test cluster in 3 tries:\n${failures.join('\n')}`, {
          cause: err,
        });
      }
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
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
      // Only if that pid is this node's server: pids come round again (scripts/clickhouse-cluster.sh alive).
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (!cmdline.includes(join(dir, `node${node}`, 'config.xml'))) {
        throw new Error(`node ${node}'s pid file names ${pid}, which is not its server: ${cmdline}`);
      }
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
