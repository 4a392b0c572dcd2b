/**
 * Preloaded into every product process a test or benchmark spawns: when the spawning
 * process dies without stopping it (a killed test run), the child exits too, so a stray
 * worker can never consume the jobs of a later run's server that reuses its port.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();
