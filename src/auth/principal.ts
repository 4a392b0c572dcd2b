export type Role = 'admin' | 'officer' | 'viewer';

/** Who is calling the API. `unitCodes` limits an officer to their own units. */
export type Principal = { keyId: string; role: Role; unitCodes: string[] };

export const BOOTSTRAP_KEY_ID = 'bootstrap-admin';

export function canUseUnit(p: Principal, unitCode: string): boolean {
  return p.role === 'admin' || p.unitCodes.includes(unitCode);
}

/** Whose progress figures (counts, no personal data) a caller follows: officers their own units, admins and viewers every unit. */
export function followsUnit(p: Principal, unitCode: string): boolean {
  return p.role !== 'officer' || p.unitCodes.includes(unitCode);
}
