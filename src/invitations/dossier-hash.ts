import { keyedHash } from '../core/keyed-hash.js';

/** How an invitation finds its dossier again after the survey: a keyed hash of unit and dossier code. */
export const dossierHashOf = (key: string, unitId: number, dossierCode: string): string => keyedHash(key, 'dossier', String(unitId), dossierCode);
