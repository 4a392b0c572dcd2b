import type { HostileResult } from '../hostile/bench-hostile.js';
import type { FloodKindSummary } from '../hostile/body-flood.js';
import type { LatencySummary, PhaseName, PhaseResult } from '../hostile/phases.js';
import type { Values } from './fill-template.js';
import { kib, mib, ms, n0, n1, rows } from './format.js';
import { HOSTILE_TARGET } from './targets.js';

const PHASES: Record<PhaseName, string> = {
  baseline: 'baseline (citizens only)',
  unitsPut: '(a) unauthenticated 1 MiB `PUT /api/v1/units`',
  unitsPost: '(a′) unauthenticated 1 MiB `POST /api/v1/units`',
  zalo: '(b) unsigned 1 MiB `POST /webhooks/zalo`',
  unitUpload: '(c) `PUT /api/v1/units` of the unit list, admin key',
  qrDistinct: '(d) QR PNGs, distinct invitations',
  qrCached: '(d′) QR PNGs, the same again (cached)',
  slowBodies: '(e) slow-body sockets',
};

const lat = (l: LatencySummary) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`;
const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${v}× ${k}`)
    .join(', ');
const within = (value: number, target: number) => (value <= target ? 'met' : `**missed** by ${ms(value - target)} (${n1(value / target)}× the target)`);

/**
 * What each phase is read against (none for the baseline; the slow sockets have their own).
 * The upload and QR phases: the longest `/healthz`, i.e. how long the event loop held any request.
 */
function phaseTarget(p: PhaseResult): { target: string; verdict: string } {
  if (p.name === 'unitsPut' || p.name === 'unitsPost' || p.name === 'zalo') return { target: `ack p99 < ${HOSTILE_TARGET.ackP99Ms} ms`, verdict: within(p.acks.p99 ?? 0, HOSTILE_TARGET.ackP99Ms) };
  if (p.name === 'unitUpload' || p.name === 'qrDistinct' || p.name === 'qrCached') return { target: `longest \`/healthz\` < ${HOSTILE_TARGET.stallMs} ms`, verdict: within(p.healthz.max ?? 0, HOSTILE_TARGET.stallMs) };
  return { target: '–', verdict: '–' };
}

/** The product's counters that moved in a phase, shortly. */
function counterNote(c: Record<string, number> | undefined): string {
  const parts = Object.entries(c ?? {}).map(([k, v]) => {
    const label = (name: string) => /\{(.*)\}/.exec(k)?.[1]?.replace(/"/g, '') ?? name;
    if (k.startsWith('sipas_requests_shed_total')) return `${v} shed (503)`;
    if (k.startsWith('sipas_requests_dependency_unavailable_total')) return `${v} "dependency unavailable" (${label('')})`;
    return `${v} webhooks refused (${label('')})`;
  });
  return parts.length ? parts.join('; ') : '–';
}

/** The issue's claim for a flood: every request refused with 401 before any body byte, and no body read afterwards. */
function floodVerdict(kinds: FloodKindSummary[]): string {
  const n = kinds.reduce((s, k) => s + k.requests, 0);
  const s401 = kinds.reduce((s, k) => s + (k.statuses['401'] ?? 0), 0);
  const before = kinds.reduce((s, k) => s + k.answeredBeforeBody, 0);
  const drained = kinds.reduce((s, k) => s + k.drained, 0);
  if (s401 === n && before === n && drained === 0) return 'met';
  if (s401 === n && before === n) return `**partly**: every 401 came before any body byte was sent, but on ${drained} of ${n} connections the server then read the whole body (and discarded it)`;
  return `**missed**: ${s401} of ${n} answered 401; ${n - before} were answered only after the whole body was sent`;
}

function floodRows(route: string, kinds: FloodKindSummary[]): (string | number)[][] {
  return kinds.map((k) => [
    `\`${k.method} ${k.path}\``,
    k.kind,
    k.requests,
    counts(k.statuses),
    `${k.answeredBeforeBody} / ${k.neededBody}`,
    `${ms(k.responseMs.p50)} / ${ms(k.responseMs.p99)} / ${ms(k.responseMs.p100)}`,
    `${k.drained} / ${k.closed} / ${k.open}`,
    k.drained ? `${ms(k.drainMs.p50)} / ${ms(k.drainMs.p100)}` : '–',
    route,
  ]);
}

const GAP_NAMES = {
  put: 'unauthenticated `PUT /api/v1/units` bodies read',
  post: 'unauthenticated `POST /api/v1/units` bodies read and parsed',
  zalo: 'unsigned `/webhooks/zalo` bodies read',
  ack: 'citizen ack p99 during the floods',
  upload: 'the unit upload holding up other requests',
  qr: 'QR codes holding up other requests',
  slow: 'slow-body sockets outliving the request timeout',
};

/** Everything docs/BENCHMARKS.md says about the hostile-traffic benchmark. */
export function hostileValues(h: HostileResult): Values {
  const phase = (n: PhaseName) => h.phases.find((p) => p.name === n)!;
  const floods = [...h.floods.unitsPut, ...h.floods.unitsPost, ...h.floods.zalo];
  const drained = floods.reduce((s, k) => s + k.drained, 0);
  const post = h.floods.unitsPost;
  const postReadBody = post.reduce((s, k) => s + k.neededBody, 0);
  const floodAckP99 = Math.max(...(['unitsPut', 'unitsPost', 'zalo'] as const).map((n) => phase(n).acks.p99 ?? 0));
  const uploads = h.uploads;
  const slowestUpload = Math.max(...uploads.map((u) => u.ms));
  const oneTx = uploads.every((u) => u.status === 200 && u.transactions === 1);
  const base = phase('baseline');
  const up = phase('unitUpload');
  const qr = phase('qrDistinct');
  const qrc = phase('qrCached');
  const slow = h.slow.kinds;
  const slowOpen = slow.reduce((s, k) => s + k.stillOpen, 0);
  const slowSockets = slow.reduce((s, k) => s + k.sockets, 0);
  const slowMax = Math.max(...slow.map((k) => k.closedMs.p100 ?? 0));
  const slowMin = Math.min(...slow.map((k) => k.closedMs.p0 ?? Infinity));
  const slowVerdict = slowOpen > 0 ? `**missed**: ${slowOpen} of ${slowSockets} still open after ${ms(h.slow.observeMs)}` : within(slowMax, h.requestTimeoutMs);
  const verdicts = {
    put: floodVerdict(h.floods.unitsPut),
    post: floodVerdict(post),
    zalo: floodVerdict(h.floods.zalo),
    ack: within(floodAckP99, HOSTILE_TARGET.ackP99Ms),
    upload: oneTx ? within(up.healthz.max ?? 0, HOSTILE_TARGET.stallMs) : '**missed**: not one transaction, or not 200',
    qr: within(Math.max(qr.healthz.max ?? 0, qrc.healthz.max ?? 0), HOSTILE_TARGET.stallMs),
    slow: slowVerdict,
  };
  const missed = Object.entries(verdicts).filter(([, v]) => v !== 'met');
  return {
    h: 'yes',
    'h.citizens': h.sizes.citizens,
    'h.thinkMs': h.sizes.thinkMs,
    'h.healthzEvery': h.healthzEveryMs,
    'h.flood': h.sizes.floodRequests,
    'h.bodySize': kib(h.floodBodyBytes),
    'h.surveys': n0(h.watch.surveysCompleted),
    'h.ackSamples': n0(h.watch.acks),
    'h.retries': n0(h.watch.retries),
    'h.ackTarget': HOSTILE_TARGET.ackP99Ms,
    'h.baselineOver': (base.acks.p99 ?? 0) >= HOSTILE_TARGET.ackP99Ms ? ms(base.acks.p99) : undefined,
    'h.stallTarget': HOSTILE_TARGET.stallMs,
    'h.timeout': ms(h.requestTimeoutMs),
    'h.phaseRows': rows(
      h.phases.map((p) => {
        const t = phaseTarget(p);
        return [PHASES[p.name], ms(p.durationMs), `${lat(p.acks)} (${n0(p.acks.samples)}${p.acks.non2xx ? `, **${p.acks.non2xx} not 2xx**` : ''})`, `${lat(p.healthz)}${p.healthz.non2xx ? ` (**${p.healthz.non2xx} not 2xx**)` : ''}`, n1(p.productCpuSeconds), mib(p.peakRssMiB), counterNote(p.counters), t.target, t.verdict];
      }),
    ),
    'h.floodRows': rows([...floodRows('(a)', h.floods.unitsPut), ...floodRows('(a′)', post), ...floodRows('(b)', h.floods.zalo)]),
    'h.drained': drained > 0 ? n0(drained) : undefined,
    'h.floods': n0(floods.reduce((s, k) => s + k.answeredBeforeBody, 0)),
    'h.postReadBody': postReadBody > 0 ? n0(postReadBody) : undefined,
    'h.postStatuses': counts(Object.fromEntries(post.flatMap((k) => Object.entries(k.statuses)).reduce((m, [s, n]) => m.set(s, (m.get(s) ?? 0) + n), new Map<string, number>()))),
    'h.uploadRows': rows(uploads.map((u, i) => [i + 1, n0(u.rows), kib(u.bytes), u.status, ms(u.ms), `${u.created ?? '–'} / ${u.updated ?? '–'}`, u.transactions])),
    'h.unitRows': n0(h.sizes.unitRows),
    'h.uploads': uploads.length,
    'h.slowestUpload': ms(slowestUpload),
    'h.uploadStall': `longest \`/healthz\` ${ms(up.healthz.max)}; longest citizen ack ${ms(up.acks.max)} (baseline: ${ms(base.acks.max)})`,
    'h.qrRows': rows(
      (
        [
          ['distinct invitations', h.qr.distinct],
          ['the same again (cached)', h.qr.cached],
        ] as const
      ).map(([what, b]) => [what, b.requests, b.invitations, counts(b.statuses), ms(b.durationMs), `${ms(b.latencyMs.p50)} / ${ms(b.latencyMs.p99)} / ${ms(b.latencyMs.p100)}`, kib(b.pngBytes)]),
    ),
    'h.qrStall': `longest \`/healthz\` ${ms(qr.healthz.max)} (cached: ${ms(qrc.healthz.max)}); longest citizen ack ${ms(qr.acks.max)} (cached: ${ms(qrc.acks.max)}; baseline: ${ms(base.acks.max)})`,
    'h.qrRequests': h.sizes.qrRequests,
    'h.slowSockets': slowSockets,
    'h.slowEvery': ms(h.slow.everyMs),
    'h.slowLength': kib(h.slow.contentLength),
    'h.slowObserve': ms(h.slow.observeMs),
    'h.slowRows': rows(
      slow.map((k) => [`\`${k.method} ${k.path}\``, k.kind, k.sockets, counts(k.statuses), `${ms(k.responseMs.p0)} / ${ms(k.responseMs.p50)} / ${ms(k.responseMs.p100)}`, k.closed, k.stillOpen, `${ms(k.closedMs.p0)} / ${ms(k.closedMs.p50)} / ${ms(k.closedMs.p100)}`]),
    ),
    'h.slowRange': `${ms(Number.isFinite(slowMin) ? slowMin : null)}–${ms(slowMax || null)}`,
    'h.slowLate': slowMax > 2 * h.requestTimeoutMs ? 'yes' : undefined,
    'h.slowOutage': Object.entries(phase('slowBodies').counters ?? {})
      .filter(([k]) => k.startsWith('sipas_requests_dependency_unavailable_total'))
      .map(([k, v]) => `${v} (${/\{(.*)\}/.exec(k)?.[1]?.replace(/"/g, '') ?? ''})`)
      .join(', ') || undefined,
    'h.v.put': verdicts.put,
    'h.v.post': verdicts.post,
    'h.v.zalo': verdicts.zalo,
    'h.v.ack': verdicts.ack,
    'h.v.upload': verdicts.upload,
    'h.v.qr': verdicts.qr,
    'h.v.slow': verdicts.slow,
    'h.floodAckP99': ms(floodAckP99),
    'h.qrStallMax': ms(Math.max(qr.healthz.max ?? 0, qrc.healthz.max ?? 0)),
    'h.uploadHealthz': ms(up.healthz.max),
    'h.oneTx': oneTx ? 'yes' : 'no',
    'h.slowMax': ms(slowMax || null),
    ...(missed.length ? { 'c.hostile': 'yes', 'c.any': 'yes', 'c.hostile.list': missed.map(([k]) => GAP_NAMES[k as keyof typeof verdicts]).join('; ') } : {}),
  };
}
