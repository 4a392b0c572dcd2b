import { keyedHash } from '../core/keyed-hash.js';

/** How an invitation finds its dossier again after the survey: a keyed hash of unit and dossier code. */
export const dossierHashOf = (key: string, unitId: number, dossierCode: string): string => keyedHash(key, 'dossier', String(unitId), dossierCode);

/** A bulk row without dossier code dedupes on its batch and row instead (another label: it never equals a dossier's hash). */
export const batchRowHashOf = (key: string, unitId: number, rowKey: string): string => keyedHash(key, 'batch-row', String(unitId), rowKey);
