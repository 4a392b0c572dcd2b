import { formatDay, formatNumber, formatPercent } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import type { RoundFormValues } from './round-form.js';
import { RoundFields, type QuestionnaireOption } from './round-form-fields.js';
import { TableWrap } from './table-wrap.js';

export type RoundRow = { code: string; name: string; opensOn: Date; closesOn: Date; closed: boolean; open: boolean; target: number; completed: number; units: number };

export function roundStatusVi(r: { closed: boolean; open: boolean; opensOn: Date }, today: string): string {
  if (r.closed) return 'Đã đóng';
  if (r.open) return 'Đang mở';
  return r.opensOn.toISOString().slice(0, 10) > today ? 'Chưa mở' : 'Đã hết hạn';
}

/**
 * `/rounds`: every round with its dates, status and completed vs target (an officer's
 * rows count their own units only); administrators also get the form to create one.
 */
export function RoundsPage(props: {
  frame: PageFrame;
  rounds: RoundRow[];
  today: string;
  canCreate: boolean;
  questionnaires: QuestionnaireOption[];
  form: RoundFormValues;
  errors?: string[];
  notice?: string;
}) {
  const { frame, rounds, today } = props;
  const caption = `Danh sách đợt khảo sát (${rounds.length})`;
  return (
    <Layout title="Đợt khảo sát" frame={frame}>
      {props.notice ? (
        <p class="notice" role="status" safe>
          {props.notice}
        </p>
      ) : (
        ''
      )}
      {rounds.length === 0 ? (
        <p>Chưa có đợt khảo sát nào{frame.user.role === 'officer' ? ' có đơn vị của bạn' : ''}.</p>
      ) : (
        <TableWrap label={caption}>
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Mã đợt</th>
                <th scope="col">Tên đợt</th>
                <th scope="col">Ngày mở</th>
                <th scope="col">Ngày đóng</th>
                <th scope="col">Trạng thái</th>
                <th scope="col" class="num">Đơn vị</th>
                <th scope="col" class="num">Hoàn thành / chỉ tiêu</th>
                <th scope="col" class="num">Tỷ lệ</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={`/rounds/${encodeURIComponent(r.code)}`} safe>
                      {r.code}
                    </a>
                  </th>
                  <td safe>{r.name}</td>
                  <td>{formatDay(r.opensOn)}</td>
                  <td>{formatDay(r.closesOn)}</td>
                  <td>{roundStatusVi(r, today)}</td>
                  <td class="num">{formatNumber(r.units)}</td>
                  <td class="num">{`${formatNumber(r.completed)} / ${formatNumber(r.target)}`}</td>
                  <td class="num">{r.target > 0 ? formatPercent(r.completed / r.target) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {props.canCreate ? (
        <>
          <h2 id="new-round">Tạo đợt khảo sát</h2>
          <form method="post" action="/rounds" class="stack narrow-form round-form" aria-labelledby="new-round">
            <input type="hidden" name="_csrf" value={frame.csrf} />
            <RoundFields v={props.form} mode="create" questionnaires={props.questionnaires} errors={props.errors} />
            <button type="submit">Tạo đợt</button>
          </form>
        </>
      ) : (
        ''
      )}
    </Layout>
  );
}
