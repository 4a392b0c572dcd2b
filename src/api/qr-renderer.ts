import { Worker } from 'node:worker_threads';
import type { QRCodeToBufferOptions } from 'qrcode';

type Pending = { resolve: (png: Buffer) => void; reject: (err: Error) => void };

/**
 * QR code PNGs rendered on one worker thread and cached by their text (the most recent
 * `maxEntries`): a poster or card printed many times costs one rendering, and a burst of
 * requests never stalls the event loop that answers citizens' webhooks.
 */
export class QrRenderer {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly options: QRCodeToBufferOptions = { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 },
    private readonly maxEntries = 1_000,
  ) {}

  png(text: string): Promise<Buffer> {
    const hit = this.cache.get(text);
    if (hit) {
      // Most recently used goes last: the Map's order is the eviction order.
      this.cache.delete(text);
      this.cache.set(text, hit);
      return hit;
    }
    const rendering = this.render(text);
    rendering.catch(() => this.cache.delete(text));
    this.cache.set(text, rendering);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return rendering;
  }

  private render(text: string): Promise<Buffer> {
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, text, options: this.options });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // Plain JavaScript: no loader flags of the parent (tsx, test --import hooks), which a worker would otherwise inherit and may fail to load.
    const worker = new Worker(new URL('./qr-worker.mjs', import.meta.url), { execArgv: [] });
    worker.unref();
    worker.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.png) p.resolve(Buffer.from(m.png));
      else p.reject(new Error(m.error ?? 'QR rendering failed'));
    });
    // A crashed thread fails what it held; the next request starts a new one.
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', () => this.fail(new Error('QR worker stopped')));
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
