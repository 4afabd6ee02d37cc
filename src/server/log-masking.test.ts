import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { logMaskingOptions } from './log-masking.js';

/** A Fastify app logging into an array, with the masking options the server uses. */
async function logsOf(logPersonalData: boolean): Promise<string> {
  const lines: string[] = [];
  const app = Fastify({
    logger: {
      level: 'info',
      stream: { write: (s: string) => void lines.push(s) },
      ...logMaskingOptions(logPersonalData),
    },
  });
  app.get('/v1/lookup/:who', async (req) => {
    req.log.info({ note: 'asked by ann@example.com', count: 3 }, 'lookup for 13812345678');
    req.log.warn(new Error('card 4111 1111 1111 1111 refused'));
    return { ok: true };
  });
  await app.inject({
    method: 'GET',
    url: '/v1/lookup/jo%40example.com?ip=192.168.1.24',
    remoteAddress: '203.0.113.7',
  });
  await app.close();
  return lines.join('');
}

describe('server log masking', () => {
  it('masks the client address, the URL, messages, string fields and error messages by default', async () => {
    const logs = await logsOf(false);
    for (const personal of [
      'ann@example.com',
      '13812345678',
      '4111 1111 1111 1111',
      '192.168.1.24',
      '203.0.113.7',
    ]) {
      expect(logs).not.toContain(personal);
    }
    expect(logs).toContain('"remoteAddress":"[IP]"');
    expect(logs).toContain('"note":"asked by [EMAIL]"');
    expect(logs).toContain('lookup for [PHONE]');
    expect(logs).toContain('card [CARD] refused');
    expect(logs).toContain('ip=[IP]');
    expect(logs).toContain('"count":3');
  });

  it('logs them as they are when the admin starting the server asks', async () => {
    const logs = await logsOf(true);
    expect(logs).toContain('203.0.113.7');
    expect(logs).toContain('ann@example.com');
  });
});
