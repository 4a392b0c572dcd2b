import type { FastifyInstance, FastifyRequest } from 'fastify';

export type FormFile = { filename: string; text: string };
export type MultipartFields = Record<string, string | FormFile>;

/**
 * A `multipart/form-data` body (a plain HTML form with a file input) read by the Fetch
 * API's own parser (undici, built into Node): text fields as strings, files as UTF-8 text.
 */
export async function readMultipartForm(contentType: string, body: Buffer): Promise<MultipartFields> {
  const form = await new Request('http://console.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  const out: MultipartFields = {};
  for (const [name, value] of form.entries()) {
    out[name] = typeof value === 'string' ? value : { filename: value.name, text: await value.text() };
  }
  return out;
}

/** Lets the routes of `scope` (and only them) take multipart forms up to `bodyLimit` bytes; a malformed body is a 400. */
export function acceptMultipartForms(scope: FastifyInstance, bodyLimit: number): void {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit }, async (req: FastifyRequest, body: Buffer) => {
    try {
      return await readMultipartForm(String(req.headers['content-type']), body);
    } catch {
      throw Object.assign(new Error('malformed multipart form'), { statusCode: 400 });
    }
  });
}
