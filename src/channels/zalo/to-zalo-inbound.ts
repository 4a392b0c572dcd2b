import { createHash } from 'node:crypto';
import { tryNormalizeVietnamesePhone } from '../../invitations/normalize-vietnamese-phone.js';
import type { ZaloEvent } from './zalo-webhook-schema.js';

/** A Zalo event reduced to what the conversation engine needs, channel-neutral. */
export type ZaloInbound =
  | { kind: 'text'; eventName: string; userId: string; text: string; msgId: string; at: Date }
  | { kind: 'follow' | 'unfollow'; eventName: string; userId: string; at: Date }
  /** Shared contact card; `phone` is normalised to "84…", absent when missing or not a Vietnamese mobile. */
  | { kind: 'contact'; eventName: string; userId: string; phone?: string; at: Date }
  | { kind: 'media'; eventName: string; userId: string; msgId?: string; at: Date }
  /** Delivery/seen receipts, the OA's own echoes and unknown events. */
  | { kind: 'ignored'; eventName: string; userId?: string; msgId?: string; at: Date };

export type ZaloInboundDelivery = {
  inbound: ZaloInbound;
  /** Stable across Zalo's retries of the same delivery: `zalo:msg:<msg_id>`, else a digest of the raw body. */
  dedupeKey: string;
};

export function zaloDedupeKey(msgId: string | undefined, rawBody: Buffer | string): string {
  if (msgId) return `zalo:msg:${msgId}`;
  return `zalo:body:${createHash('sha256').update(rawBody).digest('hex')}`;
}

function describe(event: ZaloEvent): ZaloInbound {
  const eventName = event.event_name;
  const at = new Date(Number(event.timestamp));
  switch (event.type) {
    case 'text':
      return { kind: 'text', eventName, userId: event.sender.id, text: event.message.text, msgId: event.message.msg_id, at };
    case 'follow':
      return { kind: event.event_name, eventName, userId: event.follower.id, at };
    case 'submit_info': {
      const phone = event.info.phone === undefined ? undefined : tryNormalizeVietnamesePhone(event.info.phone);
      return { kind: 'contact', eventName, userId: event.sender.id, ...(phone ? { phone } : {}), at };
    }
    case 'media': {
      const msgId = event.message?.msg_id;
      return { kind: 'media', eventName, userId: event.sender.id, ...(msgId ? { msgId } : {}), at };
    }
    case 'delivery':
      // Which side is the user differs between receipt types; the id is not needed here.
      return { kind: 'ignored', eventName, at };
    case 'echo': {
      const msgId = event.message?.msg_id;
      return { kind: 'ignored', eventName, ...(event.recipient ? { userId: event.recipient.id } : {}), ...(msgId ? { msgId } : {}), at };
    }
    case 'unknown':
      return { kind: 'ignored', eventName, at };
  }
}

/** Turns a validated event into a channel-neutral description plus its dedupe key. */
export function toZaloInbound(event: ZaloEvent, rawBody: Buffer | string): ZaloInboundDelivery {
  const inbound = describe(event);
  const msgId = inbound.kind === 'text' || inbound.kind === 'media' || inbound.kind === 'ignored' ? inbound.msgId : undefined;
  return { inbound, dedupeKey: zaloDedupeKey(msgId, rawBody) };
}
