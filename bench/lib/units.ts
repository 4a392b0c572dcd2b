/** The benchmark's units: 700 one-stop shops (20 departments, 80 districts, 600 communes). */
export type BenchUnit = { code: string; name: string; group: 'department' | 'district' | 'commune' };

export function benchUnits(count = 700): BenchUnit[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const group = n <= 20 ? 'department' : n <= 100 ? 'district' : 'commune';
    const kind = group === 'department' ? 'Sở' : group === 'district' ? 'UBND huyện' : 'UBND xã';
    return { code: `U${String(n).padStart(4, '0')}`, name: `${kind} số ${n}`, group };
  });
}
