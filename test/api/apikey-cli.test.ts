import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/auth/authenticate.js';
import { runScript } from '../support/spawn-script.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;

const apikey = (args: string[]) => runScript('src/cli/apikey.ts', args, { DATABASE_URL: db.url });

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.unit.create({ data: { code: 'SNV', name: 'Sở Nội vụ', group: 'department' } });
});
afterAll(async () => db.drop());

describe('npm run apikey', () => {
  it('creates an officer key for a unit, prints it once, stores only its hash, and revokes it', async () => {
    const created = await apikey(['create', '--role', 'officer', '--unit', 'SNV']);
    expect(created.code, created.out).toBe(0);
    const key = /key \(shown once, store it now\): (\S+)/.exec(created.out)![1]!;
    const row = await db.prisma.apiKey.findFirstOrThrow();
    expect(row.hash).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key);
    expect(await authenticate(db.prisma, undefined, `Bearer ${key}`)).toMatchObject({ role: 'officer', unitCodes: ['SNV'] });

    const listed = await apikey(['list']);
    expect(listed.out).toContain(row.id);
    expect(listed.out).not.toContain(key);

    expect((await apikey(['revoke', row.id])).code).toBe(0);
    expect(await authenticate(db.prisma, undefined, `Bearer ${key}`)).toBeUndefined();
    expect(await db.prisma.auditLog.count()).toBe(2);
  });

  it('refuses an officer key without units, unknown units and bad roles', async () => {
    expect((await apikey(['create', '--role', 'officer'])).out).toContain('needs at least one --unit');
    expect((await apikey(['create', '--role', 'officer', '--unit', 'NOPE'])).out).toContain('unknown unit(s): NOPE');
    const bad = await apikey(['create', '--role', 'root']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('--role must be admin, officer or viewer');
  });
});
