import { ON_QUOTA_FULL } from '../rounds/round-schema.js';
import type { RoundFormValues } from './round-form.js';

export type QuestionnaireOption = { value: string; label: string };

const ON_QUOTA_FULL_VI: Record<(typeof ON_QUOTA_FULL)[number], string> = {
  continue: 'Tiếp tục mời và tính phiếu',
  stop_inviting: 'Ngừng gửi lời mời mới cho đơn vị',
};

export const onQuotaFullVi = (v: string) => ON_QUOTA_FULL_VI[v as keyof typeof ON_QUOTA_FULL_VI] ?? v;

function Errors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return '';
  return (
    <div class="error" role="alert">
      <p>Chưa lưu được. Vui lòng sửa:</p>
      <ul>
        {errors.map((e) => (
          <li safe>{e}</li>
        ))}
      </ul>
    </div>
  );
}

function DayInput({ id, name, label, value, required }: { id: string; name: string; label: string; value: string; required?: boolean }) {
  return (
    <>
      <label for={id}>{`${label} (dd/mm/yyyy)`}</label>
      <input id={id} name={name} type="text" inputmode="numeric" autocomplete="off" placeholder="dd/mm/yyyy" required={required} value={value} />
    </>
  );
}

/**
 * The fields a round is created or edited with. `mode: 'edit'` leaves out the code and
 * questionnaire (fixed once created); a closed round's form has the name only.
 */
export function RoundFields({ v, mode, questionnaires, closed, errors }: { v: RoundFormValues; mode: 'create' | 'edit'; questionnaires?: QuestionnaireOption[]; closed?: boolean; errors?: string[] }) {
  const id = (f: string) => (mode === 'create' ? f : `edit-${f}`);
  return (
    <>
      <Errors errors={errors} />
      {mode === 'create' ? (
        <>
          <label for="code">Mã đợt (chữ không dấu, số, . _ -)</label>
          <input id="code" name="code" type="text" autocomplete="off" required maxlength="40" value={v.code} />
        </>
      ) : (
        ''
      )}
      <label for={id('name')}>Tên đợt</label>
      <input id={id('name')} name="name" type="text" autocomplete="off" required maxlength="200" value={v.name} />
      {mode === 'create' ? (
        <>
          <label for="questionnaire">Bộ câu hỏi</label>
          <select id="questionnaire" name="questionnaire" required>
            {(questionnaires ?? []).map((q) => (
              <option value={q.value} selected={q.value === v.questionnaire} safe>
                {q.label}
              </option>
            ))}
          </select>
        </>
      ) : (
        ''
      )}
      {closed ? (
        ''
      ) : (
        <>
          <DayInput id={id('opensOn')} name="opensOn" label="Ngày mở" value={v.opensOn} required />
          <DayInput id={id('closesOn')} name="closesOn" label="Ngày đóng" value={v.closesOn} required />
          <fieldset>
            <legend>Hồ sơ được khảo sát: hoàn thành trong khoảng (để trống nếu không giới hạn)</legend>
            <DayInput id={id('eligibleFrom')} name="eligibleFrom" label="Từ ngày" value={v.eligibleFrom} />
            <DayInput id={id('eligibleTo')} name="eligibleTo" label="Đến ngày" value={v.eligibleTo} />
          </fieldset>
          <label for={id('quotas')}>Chỉ tiêu: mỗi dòng "MÃ_ĐƠN_VỊ chỉ_tiêu" (ví dụ: SNV 120)</label>
          <textarea id={id('quotas')} name="quotas" rows="6" required safe>
            {v.quotas}
          </textarea>
          <label for={id('onQuotaFull')}>Khi đơn vị đạt chỉ tiêu</label>
          <select id={id('onQuotaFull')} name="onQuotaFull">
            {ON_QUOTA_FULL.map((o) => (
              <option value={o} selected={(v.onQuotaFull || 'continue') === o}>
                {ON_QUOTA_FULL_VI[o]}
              </option>
            ))}
          </select>
        </>
      )}
    </>
  );
}
