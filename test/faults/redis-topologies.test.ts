import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig, type Topology } from './fault-rig.js';
import { rollupDifferences } from './rollups-match.js';
import { verifyCitizens } from './verify-citizens.js';

// Deployments that outgrow one server: two web and two worker processes side by side on
// Redis Sentinel (a master, a replica, three sentinels) or Redis Cluster (three masters,
// a replica for the one holding our hash tag), the master failed over mid-survey.
const CITIZENS = 24;
const FIRST_CHAT = 8_000_001;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function failoverMidSurvey(topology: Topology) {
  rig = await startRig({ topology, webs: 2, workers: 2 });
  const starts = await rig.invite(CITIZENS);
  const driving = rig.drive(starts, FIRST_CHAT);
  await rig.midSurvey(CITIZENS);
  const newMaster = await rig.failoverRedis();
  expect(newMaster).toBeGreaterThan(0);
  const reports = await driving;
  await rig.drained();
  expect(await verifyCitizens(rig.databaseUrl, rig.def, reports, FIRST_CHAT), rig.logs().slice(-4000)).toEqual([]);
  expect(await rollupDifferences(rig.databaseUrl)).toEqual([]);
}

describe('Redis Sentinel and Cluster', () => {
  it('Sentinel: a failover of the master mid-survey loses no answer and stores none twice', async () => {
    await failoverMidSurvey('sentinel');
  });

  it('Cluster: a failover of the master holding our keys mid-survey loses no answer and stores none twice', async () => {
    await failoverMidSurvey('cluster');
  });
});
