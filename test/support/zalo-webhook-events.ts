import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Identity of the test OA (its secrets sign and check webhook bodies). */
export const ZALO_TEST = {
  appId: '3046245463451262081',
  oaId: '579745863508352884',
  oaSecretKey: 'oa-secret-for-webhook-tests',
  appSecretKey: 'app-secret-for-webhook-tests',
  accessToken: 'at_seed_product',
  refreshToken: 'rt_seed_product',
} as const;

/** The ZALO_* environment of a product whose Zalo is the fake at `fakeUrl`. */
export function zaloEnv(fakeUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ZALO_APP_ID: ZALO_TEST.appId,
    ZALO_OA_ID: ZALO_TEST.oaId,
    ZALO_OA_SECRET_KEY: ZALO_TEST.oaSecretKey,
    ZALO_APP_SECRET_KEY: ZALO_TEST.appSecretKey,
    ZALO_ACCESS_TOKEN: ZALO_TEST.accessToken,
    ZALO_REFRESH_TOKEN: ZALO_TEST.refreshToken,
    ZALO_OPENAPI_BASE: fakeUrl,
    ZALO_OAUTH_BASE: fakeUrl,
    ZALO_ZNS_BASE: fakeUrl,
    ZALO_ZNS_TEMPLATE_ID: '231456',
    ZALO_ZNS_PARAMS: 'survey_code,unit_name',
    ...extra,
  };
}

const msgId = () => randomBytes(10).toString('hex');
type Opts = { at?: number; msgId?: string };
const envelope = (eventName: string, at: number) => ({ app_id: ZALO_TEST.appId, user_id_by_app: '552177279717587', event_name: eventName, timestamp: String(at) });
const fromUser = (userId: string) => ({ sender: { id: userId }, recipient: { id: ZALO_TEST.oaId } });

/** Real-shaped OA webhook bodies (ids and timestamps as strings, as Zalo sends them). */
export const zaloEvent = {
  text: (userId: string, text: string, o: Opts = {}) => ({ ...envelope('user_send_text', o.at ?? Date.now()), ...fromUser(userId), message: { text, msg_id: o.msgId ?? msgId() } }),
  follow: (userId: string, o: Opts = {}) => ({ ...envelope('follow', o.at ?? Date.now()), oa_id: ZALO_TEST.oaId, follower: { id: userId }, source: 'qr_code' }),
  unfollow: (userId: string, o: Opts = {}) => ({ ...envelope('unfollow', o.at ?? Date.now()), oa_id: ZALO_TEST.oaId, follower: { id: userId }, source: 'oa_profile' }),
  submitInfo: (userId: string, phone: string, o: Opts = {}) => ({
    ...envelope('user_submit_info', o.at ?? Date.now()),
    ...fromUser(userId),
    info: { name: 'Công dân', phone, address: '', city: 'Hà Nội', district: '', ward: '' },
  }),
  image: (userId: string, o: Opts = {}) => ({
    ...envelope('user_send_image', o.at ?? Date.now()),
    ...fromUser(userId),
    message: { msg_id: o.msgId ?? msgId(), attachments: [{ type: 'image', payload: { url: 'https://example.invalid/a.jpg' } }] },
  }),
  oaEcho: (userId: string, o: Opts = {}) => ({ ...envelope('oa_send_text', o.at ?? Date.now()), sender: { id: ZALO_TEST.oaId }, recipient: { id: userId }, message: { text: 'Câu 1/40', msg_id: msgId() } }),
  seen: (userId: string, o: Opts = {}) => ({ ...envelope('user_seen_message', o.at ?? Date.now()), ...fromUser(userId), message: { msg_ids: [msgId()] } }),
};

export function zaloMac(raw: string, appId: string, timestamp: string, secret: string = ZALO_TEST.oaSecretKey): string {
  return createHash('sha256').update(appId + raw + timestamp + secret, 'utf8').digest('hex');
}

/**
 * POSTs a body to /webhooks/zalo. `body` objects are serialised once and signed over
 * exactly those bytes; `signature: null` sends no header, a string sends that header.
 */
export async function postZalo(app: FastifyInstance, body: object | string, opts: { signature?: string | null; signedRaw?: string } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const parsed = JSON.parse(opts.signedRaw ?? raw) as { app_id: string; timestamp: string };
  const header = opts.signature === undefined ? `mac=${zaloMac(opts.signedRaw ?? raw, parsed.app_id, parsed.timestamp)}` : opts.signature;
  return app.inject({
    method: 'POST',
    url: '/webhooks/zalo',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'x-zevent-signature': header }) },
    payload: raw,
  });
}
