import { followsUnit, type Principal } from '../auth/principal.js';
import { isoDay, type RoundWithQuotas } from './round-store.js';

/** A round as the API shows it; officers see the quotas of their own units only. */
export function roundView(round: RoundWithQuotas, principal: Principal) {
  return {
    code: round.code,
    name: round.name,
    questionnaire: `${round.questionnaire.code}@${round.questionnaire.version}`,
    opensOn: isoDay(round.opensOn),
    closesOn: isoDay(round.closesOn),
    eligibleFrom: round.eligibleFrom ? isoDay(round.eligibleFrom) : null,
    eligibleTo: round.eligibleTo ? isoDay(round.eligibleTo) : null,
    onQuotaFull: round.onQuotaFull,
    closed: round.closedAt !== null,
    sampleSeed: round.sampleSeed,
    quotas: round.quotas
      .filter((q) => followsUnit(principal, q.unit.code))
      .map((q) => ({ unitCode: q.unit.code, unitName: q.unit.name, group: q.unit.group, target: q.target }))
      .sort((a, b) => a.unitCode.localeCompare(b.unitCode)),
  };
}
