const NUMERALS: [number, string][] = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

/** The Roman numeral of a positive integer (annex sections are numbered "I", "II", …). */
export function romanNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`no Roman numeral for ${n}`);
  let out = '';
  for (const [value, numeral] of NUMERALS) for (; n >= value; n -= value) out += numeral;
  return out;
}
