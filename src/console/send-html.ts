import type { FastifyReply } from 'fastify';

/** Sends a rendered page; pages are never cached (they show personal and live data). */
export async function sendHtml(reply: FastifyReply, status: number, html: JSX.Element): Promise<FastifyReply> {
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(await html);
}
