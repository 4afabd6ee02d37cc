/**
 * @module server/listen
 * Starts an app listening as the config says and gives the URL it answers on (the port the system
 * chose when the config asks for port 0; an IPv6 host in brackets): what both `startServer` and
 * the ClickHouse server need before they announce themselves.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';

export async function listenAt(
  app: FastifyInstance,
  config: Pick<ServerConfig, 'host' | 'port'>,
): Promise<string> {
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
}
