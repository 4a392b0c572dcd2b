import type { UserRole } from '../users/user-schema.js';

export type NavItem = { href: string; label: string; roles: readonly UserRole[] };

/** The console's pages as the navigation lists them; a page is listed only for the roles that may open it. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Tổng quan', roles: ['admin', 'officer', 'viewer'] },
  { href: '/rounds', label: 'Đợt khảo sát', roles: ['admin', 'officer', 'viewer'] },
  { href: '/invitations', label: 'Thư mời', roles: ['admin', 'officer'] },
  { href: '/rankings', label: 'Xếp hạng', roles: ['admin', 'viewer'] },
  { href: '/admin/users', label: 'Người dùng', roles: ['admin'] },
  { href: '/admin/units', label: 'Đơn vị', roles: ['admin'] },
  { href: '/admin/unit-groups', label: 'Nhóm đơn vị', roles: ['admin'] },
  { href: '/admin/api-keys', label: 'Khóa API', roles: ['admin'] },
  { href: '/admin/audit', label: 'Nhật ký', roles: ['admin'] },
  { href: '/admin/queues', label: 'Hàng đợi', roles: ['admin'] },
];

export const ROLE_LABELS: Record<UserRole, string> = { admin: 'Quản trị viên', officer: 'Cán bộ', viewer: 'Người xem' };

export function navFor(role: UserRole): NavItem[] {
  return NAV_ITEMS.filter((i) => i.roles.includes(role));
}
