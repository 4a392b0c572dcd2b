import type { UnitGroup } from '../units/unit-groups.js';
import { Flash } from './admin-common.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';

export type UnitRowView = { code: string; name: string; group: string; parentCode: string | null; active: boolean };
export type NewUnitForm = { code?: string; name?: string; group?: string; parentCode?: string };
export type Outcome = { notice?: string; error?: string; details?: string[] };

/** Suggestions for a group field: the defined groups (a new code creates a group). */
function GroupOptions({ id, groups }: { id: string; groups: UnitGroup[] }) {
  return (
    <datalist id={id}>
      {groups.map((g) => (
        <option value={g.code} safe>
          {g.label}
        </option>
      ))}
    </datalist>
  );
}

/** "Label (code)", or the code alone while the group has no label of its own. */
function groupLabel(groups: UnitGroup[], code: string): string {
  const label = groups.find((g) => g.code === code)?.label;
  return label && label !== code ? `${label} (${code})` : code;
}

/** `/admin/units`: every unit (active or not), a form to add one and a CSV upload. */
export function UnitsPage({ frame, units, groups, outcome, form, csv }: { frame: PageFrame; units: UnitRowView[]; groups: UnitGroup[]; outcome?: Outcome; form?: NewUnitForm; csv?: string }) {
  const active = units.filter((u) => u.active).length;
  return (
    <Layout title="Đơn vị" frame={frame}>
      <Flash {...outcome} />
      <TableWrap label={`Danh sách đơn vị (${units.length})`} tall>
        <table>
          <caption>{`Danh sách đơn vị: ${units.length} (${active} đang hoạt động)`}</caption>
          <thead>
            <tr>
              <th scope="col">Mã</th>
              <th scope="col">Tên đơn vị</th>
              <th scope="col">Nhóm</th>
              <th scope="col">Đơn vị cấp trên</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr>
                <td safe>{u.code}</td>
                <td safe>{u.name}</td>
                <td safe>{groupLabel(groups, u.group)}</td>
                <td safe>{u.parentCode ?? '—'}</td>
                <td>{u.active ? 'Đang hoạt động' : 'Ngừng hoạt động'}</td>
                <td>
                  <a href={`/admin/units/${encodeURIComponent(u.code)}`} aria-label={`Sửa đơn vị ${u.code}`}>
                    Sửa
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <h2>Thêm đơn vị</h2>
      <form method="post" action="/admin/units" class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="unit-code">Mã đơn vị</label>
        <input id="unit-code" name="code" type="text" autocomplete="off" required maxlength="64" value={form?.code ?? ''} />
        <label for="unit-name">Tên đơn vị</label>
        <input id="unit-name" name="name" type="text" autocomplete="off" required maxlength="300" value={form?.name ?? ''} />
        <label for="unit-group">Mã nhóm đơn vị</label>
        <input id="unit-group" name="group" type="text" autocomplete="off" required maxlength="64" list="unit-groups" value={form?.group ?? ''} />
        <GroupOptions id="unit-groups" groups={groups} />
        <label for="unit-parent">Mã đơn vị cấp trên (không bắt buộc)</label>
        <input id="unit-parent" name="parentCode" type="text" autocomplete="off" maxlength="64" value={form?.parentCode ?? ''} />
        <button type="submit">Thêm đơn vị</button>
      </form>

      <h2>Tải lên danh sách đơn vị (CSV)</h2>
      <p>
        Tệp CSV có dòng tiêu đề <code>code,name,group,parentCode</code> (dấu phân cách “,” hoặc “;”, mã hóa UTF-8). Đơn vị đã có được cập nhật và hoạt động lại; nếu có dòng sai thì không lưu dòng
        nào.
      </p>
      <form method="post" action="/admin/unit-upload" enctype="multipart/form-data" class="stack">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="units-file">Chọn tệp CSV</label>
        <input id="units-file" name="file" type="file" accept=".csv,text/csv" />
        <label for="units-csv">Hoặc dán nội dung CSV</label>
        <textarea id="units-csv" name="csv" rows="6" safe>
          {csv ?? ''}
        </textarea>
        <button type="submit">Tải lên</button>
      </form>
    </Layout>
  );
}

/** `/admin/units/:code`: rename, regroup, deactivate or reactivate one unit (its code never changes). */
export function UnitEditPage({ frame, unit, groups, outcome }: { frame: PageFrame; unit: UnitRowView; groups: UnitGroup[]; outcome?: Outcome }) {
  return (
    <Layout title={`Sửa đơn vị ${unit.code}`} frame={frame}>
      <Flash {...outcome} />
      <p>
        <a href="/admin/units">← Danh sách đơn vị</a>
      </p>
      <p>Đơn vị ngừng hoạt động giữ nguyên lời mời và phản hồi đã có, nhưng không nhận lời mời mới.</p>
      <form method="post" action={`/admin/units/${encodeURIComponent(unit.code)}`} class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="unit-name">Tên đơn vị</label>
        <input id="unit-name" name="name" type="text" autocomplete="off" required maxlength="300" value={unit.name} />
        <label for="unit-group">Mã nhóm đơn vị</label>
        <input id="unit-group" name="group" type="text" autocomplete="off" required maxlength="64" list="unit-groups" value={unit.group} />
        <GroupOptions id="unit-groups" groups={groups} />
        <label for="unit-active">Trạng thái</label>
        <select id="unit-active" name="active">
          <option value="1" selected={unit.active}>
            Đang hoạt động
          </option>
          <option value="0" selected={!unit.active}>
            Ngừng hoạt động
          </option>
        </select>
        <button type="submit">Lưu thay đổi</button>
      </form>
    </Layout>
  );
}
