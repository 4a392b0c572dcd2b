/**
 * The ceiling of this machine for the webhook benchmark: a bare fastify server whose
 * webhook route only checks the secret header (after fastify parsed the JSON body) and
 * answers 200. Same HTTP stack as the product, no work behind it.
 *
 *   PORT=… SECRET=… node --import tsx bench/webhook/bare-server.ts
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const secret = Buffer.from(process.env.SECRET ?? '');

const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
app.get('/healthz', async () => ({ ok: true }));
app.post('/webhooks/telegram', async (req, reply) => {
  const given = req.headers['x-telegram-bot-api-secret-token'];
  const buf = Buffer.from(typeof given === 'string' ? given : '');
  if (buf.length !== secret.length || !timingSafeEqual(buf, secret)) return reply.status(401).send({ ok: false });
  return reply.status(200).send({ ok: true });
});

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`bare server listening on ${port}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
