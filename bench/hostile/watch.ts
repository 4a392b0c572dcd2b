/**
 * The hostile benchmark's observer (its own process, so the attack's client work never
 * delays what it measures): N simulated citizens answering whole surveys through
 * `POST /webhooks/telegram` in closed loop (the next update after the previous one was
 * acknowledged and a short think time; a new chat and survey after each one ends), and
 * `GET /healthz` every `healthzEveryMs` — the latency of a route that does nothing is the
 * product's event-loop delay plus the HTTP round trip, a fair proxy measured from outside.
 * Every sample is kept with its send time; SIGTERM stops both loops and writes the samples.
 *
 *   node --import tsx bench/hostile/watch.ts <input.json> <output.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { latestBuiltinQuestionnaire } from '../../src/index.js';
import { citizenPlan } from '../../test/support/survey-plan.js';
import { callbackUpdate, textUpdate } from '../webhook/telegram-update.js';

export type WatchInput = {
  /** The product's base URL on 127.0.0.1. */
  url: string;
  secret: string;
  citizens: number;
  /** A citizen's pause between an ack and its next update. */
  thinkMs: number;
  healthzEveryMs: number;
  /** Units whose QR code the citizens start from (`/start u_<unit>`): an open survey each. */
  unitCodes: string[];
  questionnaire: string;
  chatIdBase: number;
};

/** Per sample: send time (ms since the epoch, sub-millisecond), latency in ms, HTTP status (-1: no answer). */
export type Samples = { at: number[]; ms: number[]; status: number[] };
export type WatchOutput = { acks: Samples; healthz: Samples; surveysCompleted: number; retries: number };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const samples = (): Samples => ({ at: [], ms: [], status: [] });

function request(agent: http.Agent, target: URL, method: string, path: string, headers: Record<string, string | number>, body?: string): Promise<{ status: number; ms: number; at: number }> {
  return new Promise((resolve) => {
    const at = now();
    const t0 = performance.now();
    const done = (status: number) => resolve({ status, ms: performance.now() - t0, at });
    const req = http.request({ host: target.hostname, port: target.port, path, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', () => done(-1));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => done(-1));
    req.end(body);
  });
}

async function main(): Promise<void> {
  const [inputPath, outputPath] = process.argv.slice(2);
  if (!inputPath || !outputPath) throw new Error('usage: watch.ts <input.json> <output.json>');
  const input = JSON.parse(readFileSync(inputPath, 'utf8')) as WatchInput;
  const def = latestBuiltinQuestionnaire(input.questionnaire);
  if (!def) throw new Error(`questionnaire ${input.questionnaire} not found`);
  const target = new URL(input.url);
  const out: WatchOutput = { acks: samples(), healthz: samples(), surveysCompleted: 0, retries: 0 };
  let stopping = false;
  const record = (s: Samples, r: { at: number; ms: number; status: number }) => {
    s.at.push(Math.round(r.at * 100) / 100);
    s.ms.push(Math.round(r.ms * 100) / 100);
    s.status.push(r.status);
  };

  const citizenAgent = new http.Agent({ keepAlive: true, maxSockets: input.citizens });
  const citizen = async (c: number) => {
    for (let survey = 0; !stopping; survey++) {
      const chatId = input.chatIdBase + c * 100_000 + survey;
      const unit = input.unitCodes[(c + survey) % input.unitCodes.length]!;
      const plan = citizenPlan(def, c + survey);
      const base = (c * 100_000 + survey) * 100;
      const date = Math.floor(Date.now() / 1000);
      const bodies = [
        JSON.stringify(textUpdate(base, chatId, `/start u_${unit}`, date)),
        JSON.stringify(callbackUpdate(base + 1, chatId, 's:consent:yes', 1, date)),
        ...plan.steps.map((s, i) => JSON.stringify(s.kind === 'text' ? textUpdate(base + 2 + i, chatId, s.text, date) : callbackUpdate(base + 2 + i, chatId, s.data, 10 + i, date))),
      ];
      for (const body of bodies) {
        // As Telegram does: the same update again after a non-2xx answer, the next one only after a 2xx.
        for (let attempt = 0; !stopping; attempt++) {
          const r = await request(citizenAgent, target, 'POST', '/webhooks/telegram', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': input.secret }, body);
          record(out.acks, r);
          if (r.status >= 200 && r.status < 300) break;
          out.retries++;
          await sleep(Math.min(1000, 50 * (attempt + 1)));
        }
        if (stopping) return;
        await sleep(input.thinkMs);
      }
      out.surveysCompleted++;
    }
  };

  const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const healthz = async () => {
    for (let due = now(); !stopping; ) {
      record(out.healthz, await request(healthAgent, target, 'GET', '/healthz', {}));
      due += input.healthzEveryMs;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      else due = now();
    }
  };

  const loops = [healthz(), ...Array.from({ length: input.citizens }, (_, c) => citizen(c))];
  process.on('SIGTERM', () => {
    stopping = true;
  });
  process.stdout.write('watching\n');
  await Promise.all(loops);
  citizenAgent.destroy();
  healthAgent.destroy();
  writeFileSync(outputPath, JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`watch failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
