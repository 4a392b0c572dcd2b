/**
 * The idiomatic alternative a developer would write: a grammY bot with the
 * @grammyjs/conversations v2 plugin (conversation state in Redis through
 * @grammyjs/storage-redis) asking the same sipas-2017 questions — consent, then each
 * question with an inline keyboard (typed text for the multi-choice and free-text
 * questions), answering the callback query and removing the spent keyboard, and writing
 * each answer with a single-row INSERT inside `conversation.external(...)` into its own
 * database. Served with grammY's `webhookCallback` on fastify; replies go to the Bot
 * API at API_ROOT (the fake on 127.0.0.1).
 *
 *   PORT=… SECRET=… BOT_TOKEN=… API_ROOT=… DATABASE_URL=… REDIS_URL=… REDIS_PREFIX=… \
 *     node --import tsx bench/webhook/grammy-conversations-bot.ts
 */
import { conversations, createConversation, type Conversation, type ConversationFlavor } from '@grammyjs/conversations';
import { RedisAdapter } from '@grammyjs/storage-redis';
import Fastify from 'fastify';
import { Bot, InlineKeyboard, webhookCallback, type Context } from 'grammy';
import { Redis } from 'ioredis';
import pg from 'pg';
import { latestBuiltinQuestionnaire, type Question } from '../../src/index.js';
import { conditionHolds, type Value } from '../../test/support/survey-plan.js';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

const def = latestBuiltinQuestionnaire('sipas-2017');
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 10 });
const redis = new Redis(env('REDIS_URL'));

await pool.query(`CREATE TABLE IF NOT EXISTS survey_responses (
  id bigserial PRIMARY KEY, chat_id bigint NOT NULL, token text, started_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz)`);
await pool.query(`CREATE TABLE IF NOT EXISTS survey_answers (
  id bigserial PRIMARY KEY, response_id bigint NOT NULL REFERENCES survey_responses (id), question_code text NOT NULL,
  value jsonb, answered_at timestamptz NOT NULL DEFAULT now(), UNIQUE (response_id, question_code))`);

type Ctx = ConversationFlavor<Context>;
type Conv = Conversation<Ctx, Context>;

const LIKERT = ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'];

function keyboardOf(q: Question): InlineKeyboard | undefined {
  const kb = new InlineKeyboard();
  switch (q.kind) {
    case 'likert5':
      LIKERT.forEach((label, i) => kb.text(`${i + 1}. ${label}`, `a:${q.code}:${i + 1}`).row());
      if (q.allowNa) kb.text('Không có ý kiến', `a:${q.code}:0`);
      return kb;
    case 'yesno':
      return kb.text('Có', `a:${q.code}:1`).text('Không', `a:${q.code}:2`);
    case 'single':
      q.options.forEach((o, i) => kb.text(o.text.vi, `a:${q.code}:${i + 1}`).row());
      return kb;
    default:
      return undefined;
  }
}

function valueOf(q: Question, data: string | undefined, text: string | undefined): Value {
  const picked = data?.split(':')[2];
  switch (q.kind) {
    case 'likert5':
      return picked === '0' ? null : Number(picked);
    case 'yesno':
      return picked === '1';
    case 'single':
      return q.options[Number(picked) - 1]?.value ?? null;
    case 'multi':
      return (text ?? '')
        .split(/[\s,;]+/)
        .map((n) => q.options[Number(n) - 1]?.value)
        .filter((v): v is string => v !== undefined);
    case 'text':
      return text ?? '';
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function survey(conversation: Conv, ctx: Context, token: string) {
  await ctx.reply(def.intro?.vi ?? 'Xin chào!', { reply_markup: new InlineKeyboard().text('Bắt đầu', 's:consent:yes').text('Từ chối', 's:consent:no') });
  const consent = await conversation.waitForCallbackQuery(/^s:consent:/);
  await consent.answerCallbackQuery();
  await consent.editMessageReplyMarkup();
  if (consent.callbackQuery.data !== 's:consent:yes') return ctx.reply('Cảm ơn Ông/Bà.');
  const chatId = ctx.chatId!;
  const responseId = await conversation.external(async () => {
    const r = await pool.query<{ id: string }>('INSERT INTO survey_responses (chat_id, token) VALUES ($1, $2) RETURNING id', [chatId, token]);
    return r.rows[0]!.id;
  });
  const answers = new Map<string, Value>();
  let n = 0;
  for (const q of def.questions) {
    if (q.showIf && !conditionHolds(q.showIf, answers)) continue;
    n++;
    const keyboard = keyboardOf(q);
    await ctx.reply(`Câu ${n}/${def.questions.length}\n${q.text.vi}`, keyboard ? { reply_markup: keyboard } : {});
    let value: Value;
    if (keyboard) {
      const answer = await conversation.waitForCallbackQuery(new RegExp(`^a:${escape(q.code)}:`));
      await answer.answerCallbackQuery();
      await answer.editMessageReplyMarkup();
      value = valueOf(q, answer.callbackQuery.data, undefined);
    } else {
      const answer = await conversation.waitFor('message:text');
      value = valueOf(q, undefined, answer.message.text);
    }
    answers.set(q.code, value);
    // The result of an external operation is stored in the conversation state: return nothing.
    await conversation.external(async () => {
      await pool.query('INSERT INTO survey_answers (response_id, question_code, value) VALUES ($1, $2, $3)', [responseId, q.code, JSON.stringify(value)]);
    });
  }
  await conversation.external(async () => {
    await pool.query('UPDATE survey_responses SET completed_at = now() WHERE id = $1', [responseId]);
  });
  await ctx.reply(def.thanks?.vi ?? 'Cảm ơn!');
}

const bot = new Bot<Ctx>(env('BOT_TOKEN'), { client: { apiRoot: env('API_ROOT') } });
bot.use(
  conversations<Ctx, Context>({
    storage: { type: 'key', prefix: `${env('REDIS_PREFIX')}:conv:`, adapter: new RedisAdapter({ instance: redis }) },
  }),
);
bot.use(createConversation<Ctx, Context>(survey, 'survey'));
bot.command('start', (ctx) => ctx.conversation.enter('survey', ctx.match));
bot.catch((err) => process.stderr.write(`bot error: ${(err.error as Error)?.message ?? String(err.error)}\n`));
await bot.init();

const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
app.get('/healthz', async () => ({ ok: true }));
app.post('/webhooks/telegram', webhookCallback(bot, 'fastify', { secretToken: env('SECRET') }));
await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
process.stdout.write('grammy conversations bot listening\n');

const stop = () =>
  void (async () => {
    await app.close();
    redis.disconnect();
    await pool.end();
    process.exit(0);
  })();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
