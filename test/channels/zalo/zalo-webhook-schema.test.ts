import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toZaloInbound } from '../../../src/channels/zalo/to-zalo-inbound.js';
import { parseZaloEvent, type ZaloEvent } from '../../../src/channels/zalo/zalo-webhook-schema.js';

const TS = '1717000000000';
const envelope = { app_id: '3046245463451262081', user_id_by_app: '552177279717587', timestamp: TS };
const user = '2512523625412515';
const oa = '579745863508352884';

const events = {
  text: { ...envelope, event_name: 'user_send_text', sender: { id: user }, recipient: { id: oa }, message: { text: 'Hài lòng', msg_id: 'msg-1' } },
  follow: { ...envelope, event_name: 'follow', oa_id: oa, follower: { id: user }, source: 'oa_profile' },
  unfollow: { ...envelope, event_name: 'unfollow', oa_id: oa, follower: { id: user }, source: 'oa_profile' },
  submitInfo: {
    ...envelope,
    event_name: 'user_submit_info',
    sender: { id: user },
    recipient: { id: oa },
    info: { name: 'Nguyễn Văn A', phone: '0912 345 678', address: '', city: 'Hà Nội', district: '', ward: '' },
  },
  image: {
    ...envelope,
    event_name: 'user_send_image',
    sender: { id: user },
    recipient: { id: oa },
    message: { msg_id: 'msg-2', attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg', thumbnail: 'https://x/t.jpg' } }] },
  },
  sticker: { ...envelope, event_name: 'user_send_sticker', sender: { id: user }, recipient: { id: oa }, message: { msg_id: 'msg-3', attachments: [{ type: 'sticker', payload: { id: 'abc' } }] } },
  received: { ...envelope, event_name: 'user_received_message', sender: { id: oa }, recipient: { id: user }, message: { msg_ids: ['m1', 'm2'] } },
  seen: { ...envelope, event_name: 'user_seen_message', sender: { id: user }, recipient: { id: oa }, message: { msg_ids: ['m1'] } },
  echo: { ...envelope, event_name: 'oa_send_text', sender: { id: oa }, recipient: { id: user }, message: { text: 'Câu 1', msg_id: 'echo-1' } },
  unknown: { ...envelope, event_name: 'user_reacted_message', sender: { id: user }, recipient: { id: oa }, message: { react_icon: '/-heart', msg_id: 'r1' } },
};

function parse(body: unknown): ZaloEvent {
  const r = parseZaloEvent(body);
  if (!r.ok) throw new Error(r.error);
  return r.event;
}

describe('parseZaloEvent', () => {
  it('recognises each event family', () => {
    expect(parse(events.text).type).toBe('text');
    expect(parse(events.follow).type).toBe('follow');
    expect(parse(events.unfollow).type).toBe('follow');
    expect(parse(events.submitInfo).type).toBe('submit_info');
    expect(parse(events.image).type).toBe('media');
    expect(parse(events.sticker).type).toBe('media');
    expect(parse(events.received).type).toBe('delivery');
    expect(parse(events.seen).type).toBe('delivery');
    expect(parse(events.echo).type).toBe('echo');
    expect(parse(events.unknown).type).toBe('unknown');
  });

  it('keeps long numeric ids as exact strings', () => {
    const e = parse({ ...events.text, sender: { id: '9007199254740993123' } });
    expect(e.type === 'text' && e.sender.id).toBe('9007199254740993123');
  });

  it('rejects numeric ids with a clear message naming the field', () => {
    const r = parseZaloEvent({ ...events.text, sender: { id: 2512523625412515 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([{ path: 'sender.id', message: 'expected an id as a JSON string, got number' }]);
    expect(r.error).toBe('sender.id: expected an id as a JSON string, got number');

    const follow = parseZaloEvent({ ...events.follow, follower: { id: 1 } });
    expect(!follow.ok && follow.error).toContain('follower.id: expected an id as a JSON string');
    const app = parseZaloEvent({ ...events.unknown, app_id: Number(envelope.app_id) });
    expect(!app.ok && app.error).toContain('app_id: expected an id as a JSON string');
    const msgId = parseZaloEvent({ ...events.text, message: { text: 'x', msg_id: 12 } });
    expect(!msgId.ok && msgId.error).toContain('message.msg_id');
  });

  it('rejects a numeric or malformed timestamp', () => {
    const numeric = parseZaloEvent({ ...events.text, timestamp: 1717000000000 });
    expect(!numeric.ok && numeric.error).toBe('timestamp: expected Unix ms as a JSON string, got number');
    const words = parseZaloEvent({ ...events.text, timestamp: 'yesterday' });
    expect(!words.ok && words.error).toBe('timestamp: expected Unix ms as a string of digits');
  });

  it('rejects malformed bodies with clear errors', () => {
    expect(parseZaloEvent(null)).toMatchObject({ ok: false });
    expect(parseZaloEvent([])).toMatchObject({ ok: false });
    const noName = parseZaloEvent({ ...envelope });
    expect(!noName.ok && noName.error).toContain('event_name');
    const noText = parseZaloEvent({ ...events.text, message: { msg_id: 'x' } });
    expect(!noText.ok && noText.error).toContain('message.text');
    const noSender = parseZaloEvent({ ...events.text, sender: undefined });
    expect(!noSender.ok && noSender.error).toContain('sender');
    const noInfo = parseZaloEvent({ ...events.submitInfo, info: undefined });
    expect(!noInfo.ok && noInfo.error).toContain('info');
    const noFollower = parseZaloEvent({ ...events.follow, follower: undefined });
    expect(!noFollower.ok && noFollower.error).toContain('follower');
  });
});

describe('toZaloInbound', () => {
  const raw = (b: unknown) => JSON.stringify(b);
  const inbound = (b: unknown) => toZaloInbound(parse(b), raw(b));
  const at = new Date(Number(TS));

  it('describes text, follow, unfollow, contact and media events', () => {
    expect(inbound(events.text)).toEqual({
      inbound: { kind: 'text', eventName: 'user_send_text', userId: user, text: 'Hài lòng', msgId: 'msg-1', at },
      dedupeKey: 'zalo:msg:msg-1',
    });
    expect(inbound(events.follow).inbound).toEqual({ kind: 'follow', eventName: 'follow', userId: user, at });
    expect(inbound(events.unfollow).inbound).toEqual({ kind: 'unfollow', eventName: 'unfollow', userId: user, at });
    expect(inbound(events.submitInfo).inbound).toEqual({ kind: 'contact', eventName: 'user_submit_info', userId: user, phone: '84912345678', at });
    expect(inbound(events.image).inbound).toEqual({ kind: 'media', eventName: 'user_send_image', userId: user, msgId: 'msg-2', at });
    expect(inbound(events.sticker).inbound).toMatchObject({ kind: 'media', msgId: 'msg-3' });
  });

  it('leaves an unusable shared phone out', () => {
    const e = { ...events.submitInfo, info: { ...events.submitInfo.info, phone: '12345' } };
    expect(inbound(e).inbound).toEqual({ kind: 'contact', eventName: 'user_submit_info', userId: user, at });
  });

  it('ignores receipts, echoes and unknown events', () => {
    expect(inbound(events.received).inbound).toEqual({ kind: 'ignored', eventName: 'user_received_message', at });
    expect(inbound(events.seen).inbound.kind).toBe('ignored');
    expect(inbound(events.echo)).toEqual({ inbound: { kind: 'ignored', eventName: 'oa_send_text', userId: user, msgId: 'echo-1', at }, dedupeKey: 'zalo:msg:echo-1' });
    expect(inbound(events.unknown).inbound).toEqual({ kind: 'ignored', eventName: 'user_reacted_message', at });
  });

  it('dedupes on msg_id, else on a sha256 of the raw body', () => {
    const body = raw(events.follow);
    const digest = createHash('sha256').update(body).digest('hex');
    expect(toZaloInbound(parse(events.follow), body).dedupeKey).toBe(`zalo:body:${digest}`);
    expect(toZaloInbound(parse(events.follow), Buffer.from(body)).dedupeKey).toBe(`zalo:body:${digest}`);
    // A retried delivery of the same text message has the same key even if re-serialised.
    expect(toZaloInbound(parse(events.text), JSON.stringify(events.text, null, 2)).dedupeKey).toBe('zalo:msg:msg-1');
  });
});
