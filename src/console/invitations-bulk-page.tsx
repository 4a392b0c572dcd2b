import { formatDateTime, formatNumber, formatPercent } from './format-vi.js';
import { BATCH_STATUS_VI, messageVi } from './invitation-labels-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';
import { ErrorLine } from './error-line.js';

const EXAMPLE = 'Mã đơn vị;Kênh;Mã hồ sơ;Mã thủ tục;Mã Telegram\nSNV;telegram;HS-0001;1.001234;123456789';

/** `/invitations/bulk`: CSV pasted (or typed) into a textarea, read as `POST /api/v1/invitations/bulk` reads text/csv. */
export function BulkUploadPage({ frame, csv, error }: { frame: PageFrame; csv?: string; error?: string }) {
  return (
    <Layout title="Tải lên danh sách thư mời" frame={frame}>
      <p>
        <a href="/invitations">← Danh sách thư mời</a>
      </p>
      <ErrorLine message={error} />
      <p>
        Dán nội dung tệp CSV (xuất từ hệ thống một cửa hoặc Excel, phân cách bằng dấu chấm phẩy hoặc dấu phẩy). Dòng đầu là tên cột: Mã đơn vị, Kênh, Mã hồ sơ, Mã thủ tục,
        Số điện thoại, Mã Telegram, Mã Zalo. Mỗi dòng được kiểm tra riêng: dòng sai không làm dừng các dòng đúng. Tối đa khoảng 1.000 dòng mỗi lần; danh sách lớn hơn gửi qua API.
      </p>
      <form method="post" action="/invitations/bulk" class="stack">
        <input type="hidden" name="_csrf" value={frame.csrf} />
        <label for="csv">Nội dung CSV</label>
        <textarea id="csv" name="csv" rows="12" required spellcheck="false" placeholder={EXAMPLE} safe>
          {csv ?? ''}
        </textarea>
        <button type="submit">Kiểm tra và tạo thư mời</button>
      </form>
    </Layout>
  );
}

export type BatchView = {
  id: string;
  status: string;
  total: number;
  processed: number;
  created: number;
  existing: number;
  errors: number;
  createdAt: string;
  finishedAt: string | null;
  results?: { row: number; status: string; invitationId?: string; code?: string; error?: string }[];
};

/** The progress and row outcomes: refreshed by htmx every 2 s while the batch runs (a plain link works without JavaScript). */
export function BatchProgress({ batch }: { batch: BatchView }) {
  const running = batch.status === 'queued' || batch.status === 'running';
  const errors = (batch.results ?? []).filter((r) => r.status === 'error');
  const created = (batch.results ?? []).filter((r) => r.status !== 'error');
  return (
    <div id="batch-progress" {...(running ? { 'hx-get': `/invitations/batches/${batch.id}?fragment=1`, 'hx-trigger': 'every 2s', 'hx-swap': 'outerHTML' } : {})}>
      <p role="status" safe>
        {`Trạng thái: ${BATCH_STATUS_VI[batch.status] ?? batch.status} — đã xử lý ${formatNumber(batch.processed)}/${formatNumber(batch.total)} dòng (${formatPercent(batch.total ? batch.processed / batch.total : 1, 0)}).`}
      </p>
      <progress max={String(batch.total)} value={String(batch.processed)} aria-label="Tiến độ xử lý"></progress>
      <ul class="batch-counts">
        <li safe>{`Thư mời mới: ${formatNumber(batch.created)}`}</li>
        <li safe>{`Đã có từ trước (cùng hồ sơ): ${formatNumber(batch.existing)}`}</li>
        <li safe>{`Dòng lỗi: ${formatNumber(batch.errors)}`}</li>
      </ul>
      <p class="muted" safe>
        {`Bắt đầu ${formatDateTime(new Date(batch.createdAt))}${batch.finishedAt ? `, xong ${formatDateTime(new Date(batch.finishedAt))}` : ''}.`}
      </p>
      {running ? (
        <p>
          <a href={`/invitations/batches/${batch.id}`}>Tải lại</a>
        </p>
      ) : (
        ''
      )}
      {errors.length || created.length ? <p class="muted">Số dòng đếm từ dòng dữ liệu đầu tiên (không tính dòng tên cột).</p> : ''}
      {errors.length ? (
        <TableWrap label="Các dòng lỗi" tall>
          <table>
            <caption>Các dòng lỗi</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Dòng</th>
                <th scope="col">Lý do</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((r) => (
                <tr>
                  <td class="num" safe>
                    {formatNumber(r.row)}
                  </td>
                  <td safe>{messageVi(r.error ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        ''
      )}
      {created.length ? (
        <TableWrap label="Các thư mời đã tạo" tall>
          <table>
            <caption>Các thư mời đã tạo</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Dòng</th>
                <th scope="col">Mã ngắn</th>
                <th scope="col">Kết quả</th>
              </tr>
            </thead>
            <tbody>
              {created.map((r) => (
                <tr>
                  <td class="num" safe>
                    {formatNumber(r.row)}
                  </td>
                  <td>
                    {r.invitationId ? (
                      <a href={`/invitations/${r.invitationId}`} safe>
                        {r.code ?? r.invitationId}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{r.status === 'created' ? 'Tạo mới' : 'Đã có từ trước'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        ''
      )}
    </div>
  );
}

export function BatchPage({ frame, batch }: { frame: PageFrame; batch: BatchView }) {
  return (
    <Layout title="Tiến độ tạo thư mời hàng loạt" frame={frame}>
      <p>
        <a href="/invitations">← Danh sách thư mời</a> · <a href="/invitations/bulk">Tải lên danh sách khác</a>
      </p>
      <BatchProgress batch={batch} />
    </Layout>
  );
}
