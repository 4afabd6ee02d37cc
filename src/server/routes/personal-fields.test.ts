import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTestStore } from '../../warehouse/analytics/test-store.js';
import { openWarehouse } from '../../warehouse/open.js';
import { startTestServer, type TestServer } from '../test-server.js';

/**
 * Personal fields on output (docs/privacy.md): the profile and the customer table show a customer's
 * e-mail and personal attribute values masked to a read key and to an admin who does not ask; an
 * admin with `unmask=true` sees them as stored; any other key asking gets 403. The CLI's profile
 * masks the same way unless `--unmask`.
 */
const run = promisify(execFile);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STORED = { first_name: 'Jo', sex: 'F', note: 'call 13812345678', devices: [{ ip: '10.0.0.7' }] };
const MASKED = { first_name: '[NAME]', sex: 'F', note: 'call [PHONE]', devices: [{ ip: '[IP]' }] };

const dir = mkdtempSync(join(tmpdir(), 'shopsight-personal-'));
const dbPath = join(dir, 'store.duckdb');
const cli = async (...args: string[]): Promise<string> =>
  (
    await run(process.execPath, [
      '--import',
      'tsx',
      join(import.meta.dirname, '..', '..', 'cli', 'main.ts'),
      'customers',
      'profile',
      'c4',
      '--db',
      dbPath,
      ...args,
    ])
  ).stdout;

let s: TestServer;
/** The CLI's outputs, taken before the server owns the file. */
const fromCli: Record<string, string> = {};
beforeAll(async () => {
  const wh = await openWarehouse(dbPath, { create: true });
  await fillTestStore(wh);
  await wh.exec(
    `UPDATE customers SET email = 'jo@example.com', first_name = 'Jo', last_name = '王', attributes = '${JSON.stringify(STORED)}' WHERE customer_id = 'c4'`,
  );
  await wh.close();
  fromCli['json'] = await cli('--json');
  fromCli['text'] = await cli();
  fromCli['unmasked'] = await cli('--json', '--unmask');
  s = await startTestServer({ dbPath });
}, 300_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('personal fields masked unless an admin asks', () => {
  it('GET /v1/customers/:id/profile', async () => {
    const read = (await (await s.fetch('/v1/customers/c4/profile', { key: 'read' })).json()) as Json;
    expect(read['email']).toBe('[EMAIL]');
    expect([read['first_name'], read['last_name']]).toEqual(['[NAME]', '[NAME]']);
    expect(read['attributes']).toEqual(MASKED);
    const admin = (await (await s.fetch('/v1/customers/c4/profile', { key: 'admin' })).json()) as Json;
    expect(admin['email']).toBe('[EMAIL]');
    const asStored = (await (
      await s.fetch('/v1/customers/c4/profile?unmask=true', { key: 'admin' })
    ).json()) as Json;
    expect(asStored['email']).toBe('jo@example.com');
    expect([asStored['first_name'], asStored['last_name']]).toEqual(['Jo', '王']);
    expect(asStored['attributes']).toEqual(STORED);
    const refused = await s.fetch('/v1/customers/c4/profile?unmask=true', { key: 'read' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json)['error']).toMatchObject({
      code: 'unmask_needs_admin',
      message: expect.stringMatching(
        /^query\/unmask: personal fields are shown as stored to admin keys only/,
      ),
    });
  });

  it('GET /v1/customers', async () => {
    const row = async (key: string, query = ''): Promise<Json> =>
      ((await (await s.fetch(`/v1/customers?q=c4${query}`, { key })).json()) as { customers: Json[] })
        .customers[0]!;
    expect((await row('read'))['email']).toBe('[EMAIL]');
    expect((await row('admin'))['email']).toBe('[EMAIL]');
    expect((await row('admin', '&unmask=true'))['email']).toBe('jo@example.com');
    expect((await s.fetch('/v1/customers?unmask=true', { key: 'read' })).status).toBe(403);
    // A customer without an e-mail shows none, masked or not.
    const c1 = (
      (await (await s.fetch('/v1/customers?q=c1', { key: 'read' })).json()) as { customers: Json[] }
    ).customers[0]!;
    expect(c1['email']).toBeNull();
  });
});

describe('shopsight customers profile', () => {
  it('masks unless --unmask', () => {
    expect(JSON.parse(fromCli['json']!)).toMatchObject({
      email: '[EMAIL]',
      first_name: '[NAME]',
      last_name: '[NAME]',
      attributes: MASKED,
    });
    expect(fromCli['text']).toContain(
      'Contact: name [NAME] [NAME], e-mail [EMAIL]; first_name=[NAME], sex=F, note=call [PHONE], devices=[{"ip":"[IP]"}]',
    );
    expect(JSON.parse(fromCli['unmasked']!)).toMatchObject({
      email: 'jo@example.com',
      first_name: 'Jo',
      last_name: '王',
      attributes: STORED,
    });
  });
});
