import { z } from 'zod';

export const USER_ROLES = ['admin', 'officer', 'viewer'] as const;
export const userRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof userRoleSchema>;

/** Long enough to resist guessing at the login's rate limit; no composition rules (NIST 800-63B). */
export const MIN_PASSWORD_LENGTH = 10;

export const newUserSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9._-]{1,64}$/, 'username: 1–64 characters of a-z, 0-9, dot, dash or underscore'),
  displayName: z.string().trim().min(1).max(120),
  role: userRoleSchema,
  unitCodes: z.array(z.string().trim().min(1)).default([]),
  password: z.string().min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});
export type NewUser = z.input<typeof newUserSchema>;

/** A user as the console and the CLI see it: never the password hash. */
export type UserView = { id: string; username: string; displayName: string; role: UserRole; unitCodes: string[]; disabledAt: Date | null; lastLoginAt: Date | null; createdAt: Date };
