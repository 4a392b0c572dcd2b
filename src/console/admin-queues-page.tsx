import type { DeadLetterSummary } from '../queues/dead-letters.js';
import type { QueueName } from '../queues/queue-names.js';
import type { FailedJobSummary, QueueCounts } from '../queues/queue-overview.js';
import type { WorkersState } from '../queues/worker-heartbeat.js';
import { Flash } from './admin-common.js';
import type { Outcome } from './admin-units-page.js';
import { formatDateTime, formatNumber } from './format-vi.js';
import { Layout, type PageFrame } from './layout.js';
import { TableWrap } from './table-wrap.js';

export const QUEUE_LABELS: Record<QueueName, string> = {
  answers: 'Lưu câu trả lời',
  'outbound-telegram': 'Gửi tin Telegram',
  'outbound-zalo': 'Gửi tin Zalo',
  'outbound-simulator': 'Gửi tin giả lập',
  reminders: 'Nhắc nhở',
  invitations: 'Lời mời',
  maintenance: 'Bảo trì định kỳ',
};

const queueLabel = (q: string) => QUEUE_LABELS[q as QueueName] ?? q;
/** A reason as operators need it: one line, not a stack. */
const reasonOf = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…` : s) || '—';
const secondsAgo = (ms: number, now: number) => `${formatNumber(Math.max(0, (now - ms) / 1000), 1)} giây trước`;

export type QueuesPageData = { counts: QueueCounts[]; workers: WorkersState; staleAfterSeconds: number; failed: FailedJobSummary[]; deadLetters: DeadLetterSummary[]; nowMs: number };

/** `/admin/queues`: the background queues' counts, the worker processes' heartbeat, recent failures and a retry form per queue. */
export function QueuesPage({ frame, data, outcome }: { frame: PageFrame; data: QueuesPageData; outcome?: Outcome }) {
  const { counts, workers, failed, deadLetters, nowMs } = data;
  return (
    <Layout title="Hàng đợi" frame={frame}>
      <Flash {...outcome} />
      <h2>Tiến trình xử lý</h2>
      {workers.alive.length ? (
        <p class="notice">{`${formatNumber(workers.alive.length)} tiến trình xử lý đang chạy; nhịp gần nhất ${secondsAgo(Math.max(...workers.alive.map((w) => w.lastBeatMs)), nowMs)}.`}</p>
      ) : (
        <p class="error">{`Không có tiến trình xử lý nào báo hoạt động trong ${formatNumber(data.staleAfterSeconds)} giây qua: tin nhắn và câu trả lời đang phải chờ. Hãy khởi động tiến trình xử lý (npm run start:worker).`}</p>
      )}
      {workers.alive.length ? (
        <TableWrap label="Tiến trình xử lý đang chạy">
          <table>
            <caption>Tiến trình xử lý đang chạy</caption>
            <thead>
              <tr>
                <th scope="col">Tiến trình</th>
                <th scope="col">Nhịp gần nhất</th>
              </tr>
            </thead>
            <tbody>
              {workers.alive.map((w) => (
                <tr>
                  <td>
                    <code safe>{w.id}</code>
                  </td>
                  <td>{secondsAgo(w.lastBeatMs, nowMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        ''
      )}

      <h2>Các hàng đợi</h2>
      <TableWrap label="Số việc theo hàng đợi">
        <table>
          <caption>Số việc theo trạng thái (việc hoàn tất được xóa ngay nên thường là 0)</caption>
          <thead>
            <tr>
              <th scope="col">Hàng đợi</th>
              <th scope="col" class="num">
                Đang chờ
              </th>
              <th scope="col" class="num">
                Đang chạy
              </th>
              <th scope="col" class="num">
                Hẹn giờ
              </th>
              <th scope="col" class="num">
                Hoàn tất
              </th>
              <th scope="col" class="num">
                Lỗi
              </th>
              <th scope="col">Tạm dừng</th>
              <th scope="col" class="num">
                Lỗi hẳn (chờ chạy lại)
              </th>
              <th scope="col" class="num">
                Hoãn do sự cố
              </th>
              <th scope="col">Việc xong gần nhất</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((q) => (
              <tr>
                <th scope="row">
                  <span safe>{queueLabel(q.queue)}</span>
                  <br />
                  <code safe>{q.queue}</code>
                </th>
                <td class="num">{formatNumber(q.counts.waiting)}</td>
                <td class="num">{formatNumber(q.counts.active)}</td>
                <td class="num">{formatNumber(q.counts.delayed)}</td>
                <td class="num">{formatNumber(q.counts.completed)}</td>
                <td class="num">{formatNumber(q.counts.failed)}</td>
                <td>{q.paused ? 'Đang tạm dừng' : 'Không'}</td>
                <td class="num">{formatNumber(q.deadLetters)}</td>
                <td class="num">{formatNumber(workers.outageRetries[q.queue] ?? 0)}</td>
                <td>{workers.lastJobAt[q.queue] ? formatDateTime(new Date(workers.lastJobAt[q.queue]!)) : '—'}</td>
                <td>
                  {q.counts.failed + q.deadLetters > 0 ? (
                    <form method="post" action={`/admin/queues/${encodeURIComponent(q.queue)}/retry`} class="inline">
                      <input type="hidden" name="_csrf" value={frame.csrf} />
                      <button type="submit" class="secondary" aria-label={`Chạy lại việc lỗi của hàng đợi ${queueLabel(q.queue)}`}>
                        Chạy lại việc lỗi
                      </button>
                    </form>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p class="muted">Việc lỗi đã bị xóa dữ liệu (để không giữ dữ liệu cá nhân) không chạy lại được; việc “lỗi hẳn” được đưa lại vào hàng đợi của nó.</p>

      <h2>Việc lỗi gần nhất</h2>
      <TableWrap label="Việc lỗi gần nhất">
        <table>
          <caption>{failed.length ? `Việc lỗi gần nhất (${failed.length}); không hiện dữ liệu của việc` : 'Không có việc lỗi'}</caption>
          <thead>
            <tr>
              <th scope="col">Hàng đợi</th>
              <th scope="col">Tên việc</th>
              <th scope="col">Lý do lỗi</th>
              <th scope="col" class="num">
                Số lần thử
              </th>
              <th scope="col">Thời điểm</th>
            </tr>
          </thead>
          <tbody>
            {failed.map((j) => (
              <tr>
                <td safe>{queueLabel(j.queue)}</td>
                <td>
                  <code safe>{j.name}</code>
                </td>
                <td safe>{reasonOf(j.failedReason)}</td>
                <td class="num">{formatNumber(j.attempts)}</td>
                <td>{j.failedAt ? formatDateTime(j.failedAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <h2>Việc lỗi hẳn (chờ chạy lại)</h2>
      <TableWrap label="Việc lỗi hẳn">
        <table>
          <caption>{deadLetters.length ? `Việc lỗi hẳn gần nhất (${deadLetters.length})` : 'Không có việc lỗi hẳn'}</caption>
          <thead>
            <tr>
              <th scope="col">Hàng đợi</th>
              <th scope="col">Tên việc</th>
              <th scope="col">Lý do lỗi</th>
              <th scope="col">Thời điểm</th>
            </tr>
          </thead>
          <tbody>
            {deadLetters.map((d) => (
              <tr>
                <td safe>{queueLabel(d.queue)}</td>
                <td>
                  <code safe>{d.name}</code>
                </td>
                <td safe>{reasonOf(d.error)}</td>
                <td>{formatDateTime(new Date(d.failedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Layout>
  );
}
