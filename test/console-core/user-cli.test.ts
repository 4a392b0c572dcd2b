import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/users/password-hash.js';
import { runScript } from '../support/spawn-script.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { createTestRedis, type TestRedis } from '../support/test-redis.js';

let db: TestDatabase;
let redis: TestRedis;
let env: Record<string, string>;
beforeAll(async () => {
  db = await createTestDatabase();
  redis = await createTestRedis();
  env = { DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'https://khaosat.example.gov.vn' };
  await db.prisma.unit.create({ data: { code: 'SNV', name: 'Sở Nội vụ', group: 'department' } });
});
afterAll(async () => {
  await redis?.close();
  await db?.drop();
});

const user = (args: string[], stdin?: string) => runScript('src/cli/user.ts', args, env, stdin);
const hashOf = async (username: string) => (await db.prisma.user.findUniqueOrThrow({ where: { username } })).passwordHash;

describe('npm run user', () => {
  it('create --password-stdin stores only the hash of the password read from standard input, and never prints it', async () => {
    const { code, out } = await user(['create', '--username', 'canbo1', '--role', 'officer', '--unit', 'SNV', '--name', 'Nguyễn Văn A', '--password-stdin'], 'mat-khau-rat-dai-1\n');
    expect(code, out).toBe(0);
    expect(out).toContain('created officer canbo1');
    expect(out).toContain('https://khaosat.example.gov.vn/login');
    expect(out).not.toContain('mat-khau-rat-dai-1');
    const row = await db.prisma.user.findUniqueOrThrow({ where: { username: 'canbo1' } });
    expect([row.displayName, row.role, row.unitCodes]).toEqual(['Nguyễn Văn A', 'officer', ['SNV']]);
    expect(row.passwordHash).not.toContain('mat-khau');
    expect(await verifyPassword('mat-khau-rat-dai-1', row.passwordHash)).toBe(true);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.create' }, select: { actor: true, details: true } });
    expect(audit.actor).toBe('cli');
    expect(JSON.stringify(audit.details)).not.toContain('mat-khau');
  });

  it('create without --password-stdin generates a strong password and prints it once', async () => {
    const { code, out } = await user(['create', '--username', 'quantri', '--role', 'admin']);
    expect(code, out).toBe(0);
    const printed = /password \(shown once[^)]*\): (\S+)/.exec(out)?.[1];
    expect(printed).toBeDefined();
    expect(printed!.length).toBeGreaterThanOrEqual(16);
    expect(out.split(printed!).length - 1).toBe(1);
    expect(await verifyPassword(printed!, await hashOf('quantri'))).toBe(true);
  });

  it('refuses an officer without units, an unknown unit, a short password and a taken username', async () => {
    const noUnit = await user(['create', '--username', 'x1', '--role', 'officer', '--password-stdin'], 'mat-khau-rat-dai-1\n');
    expect([noUnit.code, noUnit.out]).toEqual([1, expect.stringContaining('an officer needs at least one unit')]);
    const unknown = await user(['create', '--username', 'x2', '--role', 'officer', '--unit', 'NOPE', '--password-stdin'], 'mat-khau-rat-dai-1\n');
    expect([unknown.code, unknown.out]).toEqual([1, expect.stringContaining('unknown unit(s): NOPE')]);
    const short = await user(['create', '--username', 'x3', '--role', 'viewer', '--password-stdin'], 'ngan\n');
    expect([short.code, short.out]).toEqual([1, expect.stringContaining('at least 10 characters')]);
    const taken = await user(['create', '--username', 'canbo1', '--role', 'viewer', '--password-stdin'], 'mat-khau-rat-dai-1\n');
    expect([taken.code, taken.out]).toEqual([1, expect.stringContaining('taken')]);
    expect(await db.prisma.user.count({ where: { username: { in: ['x1', 'x2', 'x3'] } } })).toBe(0);
  });

  it('reset-password replaces the hash and ends the user’s sessions', async () => {
    const before = await hashOf('canbo1');
    const id = (await db.prisma.user.findUniqueOrThrow({ where: { username: 'canbo1' } })).id;
    const sessionKey = `${redis.prefix}:console:session:planted`;
    await redis.redis.set(sessionKey, '{}');
    await redis.redis.sadd(`${redis.prefix}:console:user-sessions:${id}`, sessionKey);
    const { code, out } = await user(['reset-password', 'canbo1', '--password-stdin'], 'mat-khau-moi-12345\n');
    expect(code, out).toBe(0);
    const after = await hashOf('canbo1');
    expect(after).not.toBe(before);
    expect(await verifyPassword('mat-khau-moi-12345', after)).toBe(true);
    expect(await redis.redis.exists(sessionKey)).toBe(0);
    expect(await db.prisma.auditLog.count({ where: { action: 'user.reset_password' } })).toBe(1);
  });

  it('disable marks the user disabled and list shows every user with role, units and state', async () => {
    const { code, out } = await user(['disable', 'canbo1']);
    expect(code, out).toBe(0);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { username: 'canbo1' } })).disabledAt).not.toBeNull();
    const list = await user(['list']);
    expect(list.code, list.out).toBe(0);
    const lines = list.out.trim().split('\n').filter((l) => l.includes('\t'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^canbo1\tofficer\tNguyễn Văn A\tSNV\tdisabled /);
    expect(lines[1]).toMatch(/^quantri\tadmin\tquantri\t-\tactive\tnever logged in$/);
    expect(list.out).not.toContain('scrypt');
  });

  it('answers --help with the usage (exit 0), and an unknown option or command with the usage (exit 2)', async () => {
    const help = await user(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage');
    expect(help.out).toContain('--password-stdin');
    const bad = await user(['--no-such-option']);
    expect([bad.code, bad.out.includes('usage')]).toEqual([2, true]);
    const unknown = await user(['frobnicate']);
    expect([unknown.code, unknown.out.includes('usage')]).toEqual([2, true]);
  });
});
