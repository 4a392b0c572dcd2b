import { USER_ROLES } from '../users/user-schema.js';
import { ROLE_LABELS } from './navigation.js';

/** The role select and the unit-codes field that console users and API keys share (ids `<idPrefix>role`, `<idPrefix>units`). */
export function RoleAndUnitsFields({ idPrefix = '', role, units }: { idPrefix?: string; role?: string | undefined; units?: string | undefined }) {
  return (
    <>
      <label for={`${idPrefix}role`}>Vai trò</label>
      <select id={`${idPrefix}role`} name="role">
        {USER_ROLES.map((r) => (
          <option value={r} selected={(role ?? 'officer') === r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <label for={`${idPrefix}units`}>Mã đơn vị (cán bộ; cách nhau bằng dấu phẩy)</label>
      <input id={`${idPrefix}units`} name="units" type="text" autocomplete="off" value={units ?? ''} />
    </>
  );
}
