import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyZaloSignature } from '../../../src/channels/zalo/verify-zalo-signature.js';

const SECRET = 'oa-secret-DEMO';
const APP_ID = '3046245463451262081';
const TS = '1717000000000';
const BODY =
  '{"app_id":"3046245463451262081","sender":{"id":"2512523625412515"},"user_id_by_app":"552177279717587","recipient":{"id":"579745863508352884"},"event_name":"user_send_text","message":{"text":"5","msg_id":"96d51e6bd4d1ea8fb3c2"},"timestamp":"1717000000000"}';
// printf '%s' "$APP_ID$BODY$TS$SECRET" | sha256sum
const FIXED_MAC = 'dcdc06e0cbe7c785bb019387e9f4045b7c41ddd5b9672dd2521787891b8b1965';
const NOW = Number(TS) + 1_000;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const verify = (header: string | string[] | undefined, rawBody: Buffer | string = BODY, extra: Partial<Parameters<typeof verifyZaloSignature>[0]> = {}) =>
  verifyZaloSignature({ rawBody, header, oaSecretKey: SECRET, maxAgeMs: 300_000, now: NOW, ...extra });

describe('verifyZaloSignature', () => {
  it('accepts the fixed vector (string and Buffer bodies, upper-case hex)', () => {
    expect(sha256(APP_ID + BODY + TS + SECRET)).toBe(FIXED_MAC);
    expect(verify(`mac=${FIXED_MAC}`)).toEqual({ ok: true, appId: APP_ID, timestamp: TS });
    expect(verify(`mac=${FIXED_MAC}`, Buffer.from(BODY, 'utf8')).ok).toBe(true);
    expect(verify(`mac=${FIXED_MAC.toUpperCase()}`).ok).toBe(true);
  });

  it('signs the exact bytes: Vietnamese text and escapes as received', () => {
    const body = `{"app_id":"${APP_ID}","event_name":"user_send_text","timestamp":"${TS}","message":{"text":"Rất hài lòng \\u0021","msg_id":"x1"},"sender":{"id":"1"},"recipient":{"id":"2"}}`;
    const mac = sha256(APP_ID + body + TS + SECRET);
    expect(verify(`mac=${mac}`, Buffer.from(body, 'utf8')).ok).toBe(true);
    // The same JSON with the escape decoded is a different byte string.
    expect(verify(`mac=${mac}`, body.replace('\\u0021', '!'))).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects a re-serialised body (same JSON, other whitespace or key order)', () => {
    const parsed = JSON.parse(BODY) as Record<string, unknown>;
    const pretty = JSON.stringify(parsed, null, 2);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse()));
    expect(pretty).not.toBe(BODY);
    expect(JSON.parse(pretty)).toEqual(JSON.parse(BODY));
    expect(verify(`mac=${FIXED_MAC}`, pretty)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verify(`mac=${FIXED_MAC}`, reordered)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects a wrong secret, a changed body and a MAC over other fields', () => {
    expect(verify(`mac=${sha256(APP_ID + BODY + TS + 'other-secret')}`)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verify(`mac=${FIXED_MAC}`, BODY.replace('"text":"5"', '"text":"1"'))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verify(`mac=${sha256(BODY + SECRET)}`)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('reports a missing header', () => {
    expect(verify(undefined)).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify('')).toMatchObject({ ok: false, reason: 'missing' });
    expect(verify([])).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('reports malformed headers and bodies', () => {
    expect(verify(FIXED_MAC)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify(`mac=${FIXED_MAC.slice(2)}`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify(`mac=${'z'.repeat(64)}`)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify([`mac=${FIXED_MAC}`, `mac=${FIXED_MAC}`])).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify(`mac=${FIXED_MAC}`, 'not json')).toMatchObject({ ok: false, reason: 'malformed' });
    const numericTs = BODY.replace(`"timestamp":"${TS}"`, `"timestamp":${TS}`);
    expect(verify(`mac=${sha256(APP_ID + numericTs + TS + SECRET)}`, numericTs)).toMatchObject({ ok: false, reason: 'malformed' });
    const numericApp = BODY.replace(`"app_id":"${APP_ID}"`, `"app_id":${APP_ID}`);
    expect(verify(`mac=${FIXED_MAC}`, numericApp)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('rejects a stale (or far-future) timestamp outside the window, after checking the MAC', () => {
    expect(verify(`mac=${FIXED_MAC}`, BODY, { now: Number(TS) + 300_000 }).ok).toBe(true);
    expect(verify(`mac=${FIXED_MAC}`, BODY, { now: Number(TS) + 300_001 })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(`mac=${FIXED_MAC}`, BODY, { now: Number(TS) - 300_001 })).toMatchObject({ ok: false, reason: 'stale' });
    expect(verify(`mac=${FIXED_MAC}`, BODY, { now: Number(TS) + 10 * 60_000, maxAgeMs: 15 * 60_000 }).ok).toBe(true);
    expect(verify(`mac=${'0'.repeat(64)}`, BODY, { now: 0 })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('rejects another app when the app id is pinned', () => {
    expect(verify(`mac=${FIXED_MAC}`, BODY, { expectedAppId: APP_ID }).ok).toBe(true);
    expect(verify(`mac=${FIXED_MAC}`, BODY, { expectedAppId: '1' })).toMatchObject({ ok: false, reason: 'wrong_app' });
  });
});
