// Renders QR code PNGs on a worker thread, so encoding never blocks the HTTP event loop.
import { parentPort } from 'node:worker_threads';
import QRCode from 'qrcode';

parentPort.on('message', ({ id, text, options }) => {
  QRCode.toBuffer(text, options).then(
    (png) => parentPort.postMessage({ id, png }),
    (err) => parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
  );
});
