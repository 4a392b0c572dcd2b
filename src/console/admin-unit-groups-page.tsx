import type { UnitGroup } from '../units/unit-groups.js';
import { Flash } from './admin-common.js';
import type { Outcome } from './admin-units-page.js';
import { formatNumber } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';

export type UnitGroupForm = { code: string; label: string; order: string; rankSeparately: boolean };

/** The fields of one group (the code only when adding: a group's code never changes). */
function GroupFields({ form, withCode }: { form?: UnitGroupForm | undefined; withCode: boolean }) {
  return (
    <>
      {withCode ? (
        <>
          <label for="group-code">Mã nhóm</label>
          <input id="group-code" name="code" type="text" autocomplete="off" required maxlength="64" value={form?.code ?? ''} />
        </>
      ) : (
        ''
      )}
      <label for="group-label">Tên nhóm (tiêu đề mục trong báo cáo)</label>
      <input id="group-label" name="label" type="text" autocomplete="off" required maxlength="200" value={form?.label ?? ''} />
      <label for="group-order">Thứ tự trong báo cáo (nhỏ trước)</label>
      <input id="group-order" name="order" type="number" inputmode="numeric" min="0" max="1000000" step="1" required value={form?.order ?? '0'} />
      <div class="check">
        <input id="group-rank" name="rankSeparately" type="checkbox" value="1" checked={form?.rankSeparately ?? false} />
        <label for="group-rank">Xếp hạng riêng (chỉ so sánh các đơn vị trong nhóm)</label>
      </div>
    </>
  );
}

/** `/admin/unit-groups`: every group with its report order and ranking rule, and a form to add one. */
export function UnitGroupsPage({ frame, groups, unitCounts, outcome, form }: { frame: PageFrame; groups: UnitGroup[]; unitCounts: Map<string, number>; outcome?: Outcome; form?: UnitGroupForm }) {
  return (
    <Layout title="Nhóm đơn vị" frame={frame}>
      <Flash {...outcome} />
      <TableWrap label={`Danh sách nhóm đơn vị (${groups.length})`}>
        <table>
          <caption>{`Danh sách nhóm đơn vị (${groups.length}), theo thứ tự trong báo cáo`}</caption>
          <thead>
            <tr>
              <th scope="col">Mã</th>
              <th scope="col">Tên nhóm</th>
              <th scope="col" class="num">
                Thứ tự
              </th>
              <th scope="col">Xếp hạng</th>
              <th scope="col" class="num">
                Số đơn vị
              </th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr>
                <td safe>{g.code}</td>
                <td safe>{g.label}</td>
                <td class="num">{formatNumber(g.order)}</td>
                <td>{g.rankSeparately ? 'Riêng trong nhóm' : 'Chung toàn tỉnh'}</td>
                <td class="num">{formatNumber(unitCounts.get(g.code) ?? 0)}</td>
                <td>
                  <a href={`/admin/unit-groups/${encodeURIComponent(g.code)}`} aria-label={`Sửa nhóm ${g.code}`}>
                    Sửa
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>Thêm nhóm đơn vị</h2>
      <form method="post" action="/admin/unit-groups" class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <GroupFields form={form} withCode />
        <button type="submit">Thêm nhóm</button>
      </form>
    </Layout>
  );
}

/** `/admin/unit-groups/:code`: the label, order and ranking rule of one group. */
export function UnitGroupEditPage({ frame, form, outcome }: { frame: PageFrame; form: UnitGroupForm; outcome?: Outcome }) {
  return (
    <Layout title={`Sửa nhóm đơn vị ${form.code}`} frame={frame}>
      <Flash {...outcome} />
      <p>
        <a href="/admin/unit-groups">← Danh sách nhóm đơn vị</a>
      </p>
      <form method="post" action={`/admin/unit-groups/${encodeURIComponent(form.code)}`} class="stack narrow-form">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <GroupFields form={form} withCode={false} />
        <button type="submit">Lưu thay đổi</button>
      </form>
    </Layout>
  );
}
