// The npm registry mirror used here lacks some platform builds of optional native
// add-ons (msgpackr-extract for macOS/Windows/ARM), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock as out of sync. This adds the
// missing optional, platform-restricted entries (never installed on Linux x64) back.
// Run after any `npm install`: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORMS = { 'darwin-arm64': ['darwin', 'arm64'], 'darwin-x64': ['darwin', 'x64'], 'linux-arm': ['linux', 'arm'], 'linux-arm64': ['linux', 'arm64'], 'linux-x64': ['linux', 'x64'], 'win32-x64': ['win32', 'x64'] };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const m = /^@msgpackr-extract\/msgpackr-extract-(.+)$/.exec(dep);
    if (!m || !PLATFORMS[m[1]]) continue;
    const key = `${path.replace(/node_modules\/msgpackr-extract$/, '')}node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[`node_modules/${dep}`]) continue;
    const [os, cpu] = PLATFORMS[m[1]];
    lock.packages[`node_modules/${dep}`] = { version, cpu: [cpu], license: 'MIT', optional: true, os: [os] };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} missing optional platform entries`);
