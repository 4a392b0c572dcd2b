import type { UserRole } from '../users/user-schema.js';

export type NavItem = { href: string; label: string; roles: readonly UserRole[] };

/** The console's pages as the navigation lists them; a page is listed only for the roles that may open it. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Tổng quan', roles: ['admin', 'officer', 'viewer'] },
  { href: '/admin/users', label: 'Người dùng', roles: ['admin'] },
];

export const ROLE_LABELS: Record<UserRole, string> = { admin: 'Quản trị viên', officer: 'Cán bộ', viewer: 'Người xem' };

export function navFor(role: UserRole): NavItem[] {
  return NAV_ITEMS.filter((i) => i.roles.includes(role));
}
