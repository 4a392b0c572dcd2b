import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { adminHeaders } from './start-product.js';

export type UnitRow = { code: string; name: string; group: string };

/** The department most product tests invite citizens to. */
export const SNV: UnitRow = { code: 'SNV', name: 'Sở Nội vụ', group: 'department' };
/** A commune: its name is what the citizen sees in the consent message and ZNS. */
export const XTP: UnitRow = { code: 'XTP', name: 'UBND xã Tân Phong', group: 'commune' };

/** Loads units through `PUT /api/v1/units` as the administrator and fails the test unless it took them (200). */
export async function putUnits(app: FastifyInstance, units: UnitRow[]): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: units });
  expect(res.statusCode, res.body).toBe(200);
}
