'use strict';
/**
 * A backend alone in its process (run by bench/backend.js with --expose-gc): it reports its OTLP URL, the
 * parent sends it spans, and on {measure} it collects garbage and reports its memory, then stops.
 */
const { join } = require('node:path');

const root = process.argv[2];
const { startBackend } = require(join(root, 'dist/harness/backend/index.js'));

async function main() {
  const backend = await startBackend({ onWarning: () => undefined });
  process.on('message', async (/** @type {{ measure?: boolean }} */ message) => {
    if (!message.measure || !global.gc || !process.send) return;
    global.gc();
    const usage = process.memoryUsage();
    process.send({
      stored: backend.store.size,
      rssMb: usage.rss / 1e6,
      heapUsedMb: usage.heapUsed / 1e6,
      // resourceUsage().maxRSS is in kilobytes: the peak over the process's life, parsing included.
      maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    });
    await backend.stop();
    process.disconnect();
  });
  process.send?.({ otlp: backend.urls.otlp });
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
