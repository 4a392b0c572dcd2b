import type { AxiosInstance } from 'axios';
import type { ZaloFailure } from './classify-zalo-error.js';
import { normalizeVietnamesePhone, InvalidPhoneError } from '../../invitations/normalize-vietnamese-phone.js';
import { callZaloApi, zaloCallContext, type ZaloAccessTokens, type ZaloCallContext } from './zalo-api-call.js';
import type { ZaloLogger } from './zalo-logger.js';

export type ZnsTemplateMessage = {
  /** Any common Vietnamese form; normalised to "84…" before sending. */
  phone: string;
  templateId: string;
  templateData: Record<string, string | number>;
  /** Our id for the send (the invitation id), echoed in Zalo's delivery reports. */
  trackingId: string;
};

export type ZnsSendResult = { ok: true; msgId: string } | { ok: false; failure: ZaloFailure };

export type ZaloZnsClientOptions = {
  /** `ZaloConfig.znsBase`, e.g. https://business.openapi.zalo.me */
  znsBase: string;
  tokens: ZaloAccessTokens;
  http?: AxiosInstance;
  logger?: ZaloLogger;
  timeoutMs?: number;
  now?: () => number;
};

/**
 * Zalo Notification Service: an approved template to a phone number,
 * `POST {znsBase}/message/template`. Never throws for Zalo, network or phone errors.
 */
export class ZaloZnsClient {
  private readonly ctx: ZaloCallContext;
  private readonly url: string;

  constructor(options: ZaloZnsClientOptions) {
    this.url = `${options.znsBase.replace(/\/+$/, '')}/message/template`;
    this.ctx = zaloCallContext(options);
  }

  async sendTemplate(msg: ZnsTemplateMessage): Promise<ZnsSendResult> {
    let phone: string;
    try {
      phone = normalizeVietnamesePhone(msg.phone);
    } catch (err) {
      const reason = err instanceof InvalidPhoneError ? err.reason : 'invalid';
      this.ctx.logger.warn({ event: 'zalo.zns_bad_phone', reason }, 'ZNS not sent: phone number refused locally');
      return { ok: false, failure: { kind: 'undeliverable', code: null, message: `phone refused locally (${reason})`, reason: 'bad_phone' } };
    }
    const body = { phone, template_id: msg.templateId, template_data: msg.templateData, tracking_id: msg.trackingId };
    const result = await callZaloApi(this.ctx, 'zns', this.url, body);
    if (!result.ok) {
      this.ctx.logger.warn({ event: 'zalo.zns_send_failed', kind: result.failure.kind, code: result.failure.code }, 'ZNS message not sent');
      return result;
    }
    const id = result.data.msg_id;
    return { ok: true, msgId: typeof id === 'string' ? id : String(id ?? '') };
  }
}
