import { parseCodedRows } from '../core/parse-coded-rows.js';
import { MAX_UNIT_GROUPS_PER_UPLOAD, unitGroupInputSchema, type UnitGroupInput } from './unit-group-schema.js';

/** `PUT /api/v1/unit-groups`: a JSON array or `{groups: [...]}`, all rows valid or nothing saved, as unit uploads are. */
export const parseUnitGroupsUpload = (body: unknown): UnitGroupInput[] => parseCodedRows(body, false, { schema: unitGroupInputSchema, listKey: 'groups', noun: 'unit groups', max: MAX_UNIT_GROUPS_PER_UPLOAD });
