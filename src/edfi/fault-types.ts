/* The 16 EDFI fault types (DESIGN §5), in a fixed order. */
export const FAULT_TYPES = [
  'null-pointer', 'swap', 'no-load', 'rnd-load', 'no-store', 'flip-branch', 'stuck-at-branch', 'stuck-at-loop',
  'flip-bool', 'corrupt-pointer', 'corrupt-index', 'corrupt-integer', 'corrupt-operator', 'buffer-overflow',
  'mem-leak', 'dangling-pointer',
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

export function isFaultType(s: string): s is FaultType {
  return (FAULT_TYPES as readonly string[]).includes(s);
}
