import type { AxiosInstance } from 'axios';
import type { ZaloFailure } from './classify-zalo-error.js';
import { callZaloApi, zaloCallContext, type ZaloAccessTokens, type ZaloCallContext } from './zalo-api-call.js';
import type { ZaloLogger } from './zalo-logger.js';
import { splitZaloText, ZALO_TEXT_LIMIT } from './split-zalo-text.js';

/** A button whose payload comes back as a `user_send_text` from the citizen. */
export type ZaloQueryButton = { title: string; payload: string; type?: 'oa.query.hide' | 'oa.query.show' };

export type ZaloSendResult =
  | { ok: true; messageIds: string[] }
  /** `messageIds` were delivered before part `failedPart` (0-based) failed; retry with `skipParts: failedPart`. */
  | { ok: false; failure: ZaloFailure; messageIds: string[]; failedPart: number };

export type ZaloOaClientOptions = {
  /** `ZaloConfig.openApiBase`, e.g. https://openapi.zalo.me */
  openApiBase: string;
  tokens: ZaloAccessTokens;
  http?: AxiosInstance;
  logger?: ZaloLogger;
  timeoutMs?: number;
  now?: () => number;
};

export const ZALO_BUTTON_TITLE_LIMIT = 100;
export const ZALO_BUTTON_PAYLOAD_LIMIT = 1000;

function buttonAttachment(buttons: ZaloQueryButton[]) {
  return {
    type: 'template',
    payload: {
      buttons: buttons.map((b) => {
        if (b.payload.length === 0 || b.payload.length > ZALO_BUTTON_PAYLOAD_LIMIT) {
          throw new RangeError(`button payload must be 1–${ZALO_BUTTON_PAYLOAD_LIMIT} characters`);
        }
        const title = b.title.length > ZALO_BUTTON_TITLE_LIMIT ? `${b.title.slice(0, ZALO_BUTTON_TITLE_LIMIT - 1)}…` : b.title;
        return { title, payload: b.payload, type: b.type ?? 'oa.query.hide' };
      }),
    },
  };
}

/**
 * Customer-service (CS) messages of the OA API v3: `POST {openApiBase}/v3.0/oa/message/cs`.
 * Never throws for Zalo or network errors: they come back as a classified `ZaloFailure`.
 */
export class ZaloOaClient {
  private readonly ctx: ZaloCallContext;
  private readonly url: string;

  constructor(options: ZaloOaClientOptions) {
    this.url = `${options.openApiBase.replace(/\/+$/, '')}/v3.0/oa/message/cs`;
    this.ctx = zaloCallContext(options);
  }

  /**
   * Sends text (split at line boundaries into parts of ≤ 2,000 characters); buttons,
   * when given, go with the last part.
   */
  async sendText(userId: string, text: string, options: { buttons?: ZaloQueryButton[]; skipParts?: number } = {}): Promise<ZaloSendResult> {
    if (text.trim() === '') throw new RangeError('text must not be empty');
    const parts = splitZaloText(text, ZALO_TEXT_LIMIT);
    const attachment = options.buttons?.length ? buttonAttachment(options.buttons) : undefined;
    const messageIds: string[] = [];
    for (let i = options.skipParts ?? 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const message = last && attachment ? { text: parts[i], attachment } : { text: parts[i] };
      const result = await this.send(userId, message);
      if (!result.ok) return { ok: false, failure: result.failure, messageIds, failedPart: i };
      messageIds.push(result.messageId);
    }
    return { ok: true, messageIds };
  }

  /** A `request_user_info` card: the citizen can share name and phone (arrives as `user_submit_info`). */
  async sendRequestUserInfo(userId: string, card: { title: string; subtitle: string; imageUrl?: string }): Promise<ZaloSendResult> {
    const element = { title: card.title, subtitle: card.subtitle, ...(card.imageUrl ? { image_url: card.imageUrl } : {}) };
    const message = { attachment: { type: 'template', payload: { template_type: 'request_user_info', elements: [element] } } };
    const result = await this.send(userId, message);
    return result.ok ? { ok: true, messageIds: [result.messageId] } : { ok: false, failure: result.failure, messageIds: [], failedPart: 0 };
  }

  private async send(userId: string, message: object): Promise<{ ok: true; messageId: string } | { ok: false; failure: ZaloFailure }> {
    const result = await callZaloApi(this.ctx, 'cs', this.url, { recipient: { user_id: userId }, message });
    if (!result.ok) {
      this.ctx.logger.warn({ event: 'zalo.cs_send_failed', kind: result.failure.kind, code: result.failure.code }, 'Zalo CS message not sent');
      return result;
    }
    const id = result.data.message_id;
    return { ok: true, messageId: typeof id === 'string' ? id : String(id ?? '') };
  }
}
