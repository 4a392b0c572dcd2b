import { writeAudit } from '../audit/write-audit.js';
import { AppError } from '../core/app-error.js';
import type { Db } from '../db/prisma-client.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password-hash.js';
import { MIN_PASSWORD_LENGTH, newUserSchema, type NewUser, type UserView } from './user-schema.js';

const VIEW = { id: true, username: true, displayName: true, role: true, unitCodes: true, disabledAt: true, lastLoginAt: true, createdAt: true } as const;

/** `details` names the fields that failed (the console says so in Vietnamese). */
function invalid(issues: { message: string; path: PropertyKey[] }[]): AppError {
  return AppError.invalid(issues.map((i) => i.message).join('; '), { fields: issues.map((i) => String(i.path[0])) });
}

/** Officers act for named, existing units; the other roles see the whole province. */
async function checkUnits(db: Db, role: string, unitCodes: string[]): Promise<void> {
  if (role === 'officer' && unitCodes.length === 0) throw new AppError('invalid', 'officer_needs_unit', 'an officer needs at least one unit (--unit CODE)');
  if (role !== 'officer' && unitCodes.length > 0) throw new AppError('invalid', 'units_only_for_officers', 'units only apply to officers');
  const known = await db.unit.findMany({ where: { code: { in: unitCodes } }, select: { code: true } });
  const missing = unitCodes.filter((c) => !known.some((k) => k.code === c));
  if (missing.length) throw new AppError('unprocessable', 'unknown_unit', `unknown unit(s): ${missing.join(', ')} (upload units first)`);
}

/** Creates a console user; the password is stored only as its scrypt hash and never audited. */
export async function createUser(db: Db, input: NewUser, actor = 'cli'): Promise<UserView> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const u = parsed.data;
  await checkUnits(db, u.role, u.unitCodes);
  if (await db.user.findUnique({ where: { username: u.username }, select: { id: true } })) throw new AppError('conflict', 'username_taken', `username ${u.username} is taken`);
  const row = await db.user.create({
    data: { username: u.username, displayName: u.displayName, role: u.role, unitCodes: u.unitCodes, passwordHash: await hashPassword(u.password) },
    select: VIEW,
  });
  await writeAudit(db, actor, 'user.create', { userId: row.id, username: row.username, role: row.role, unitCodes: row.unitCodes });
  return row;
}

export async function listUsers(db: Db): Promise<UserView[]> {
  return db.user.findMany({ orderBy: { username: 'asc' }, select: VIEW });
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

export async function findUser(db: Db, id: string): Promise<UserView | null> {
  return db.user.findUnique({ where: { id }, select: VIEW });
}

async function byUsername(db: Db, username: string) {
  const row = await db.user.findUnique({ where: { username: username.trim().toLowerCase() }, select: VIEW });
  if (!row) throw AppError.notFound(`no user ${username}`, 'user_not_found');
  return row;
}

/** Sets a new password (the user's sessions are ended by the caller). */
export async function resetPassword(db: Db, username: string, password: string, actor = 'cli'): Promise<UserView> {
  if (password.length < MIN_PASSWORD_LENGTH) throw AppError.invalid(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
  const row = await byUsername(db, username);
  await db.user.update({ where: { id: row.id }, data: { passwordHash: await hashPassword(password) } });
  await writeAudit(db, actor, 'user.reset_password', { userId: row.id, username: row.username });
  return row;
}

/** Disables a user: they can no longer log in, and their open sessions stop at the next request. */
export async function disableUser(db: Db, username: string, actor = 'cli', now = new Date()): Promise<UserView> {
  const row = await byUsername(db, username);
  if (row.disabledAt) return row;
  const updated = await db.user.update({ where: { id: row.id }, data: { disabledAt: now }, select: VIEW });
  await writeAudit(db, actor, 'user.disable', { userId: row.id, username: row.username });
  return updated;
}

/**
 * The user these credentials name, or null. Unknown usernames and disabled users cost a
 * hash as well, so the answer's timing does not tell which usernames exist.
 */
export async function checkCredentials(db: Db, username: string, password: string): Promise<UserView | null> {
  const row = await db.user.findUnique({ where: { username: username.trim().toLowerCase() }, select: { ...VIEW, passwordHash: true } });
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || row.disabledAt) return null;
  const { passwordHash: _hash, ...view } = row;
  return view;
}

export async function recordLogin(db: Db, id: string, at: Date): Promise<void> {
  await db.user.update({ where: { id }, data: { lastLoginAt: at } });
}
