/*
 * The block map of a build (dist/variants/<variant>/blocks.json): every
 * block of the recoverable servers as the build step found it, with the
 * fault compiled into it. The contract between the build step, which
 * writes it, and the run-time side, which arms blocks by their dense index.
 */
import type { FaultType } from './fault-types';

/** The fault compiled into a block: which site of which type, and its build-time parameter. */
export interface BlockFault {
  type: FaultType;
  site: number;
  /** A small parameter chosen at build time: sign (±1), stuck value (0/1), garbage (0/1), extra length. */
  param: number;
}

export interface BlockInfo {
  id: string;
  hash: number;
  /** Dense index within one build's block map. */
  index: number;
  server: string;
  file: string;
  line: number;
  function: string;
  statements: number;
  kind: 'run' | 'loop';
  /** Position key of the run's first statement, of the terminator when the run is empty, or of the loop. */
  key: string;
  candidates: FaultType[];
  fault: BlockFault | null;
  /** Why the block takes no fault (recovery code, an unsupported declaration). */
  excluded?: string;
  /** Library code linked into the server (its copy of src/os/sef): file is e.g. "sef/loop.ts". */
  shared?: true;
}

export interface BlockMap {
  /** The variant's name (src/osiris/build-variants.ts). */
  variant: string;
  /** Hash of the variant's emitted code: a build's identity. */
  hash: string;
  /** The SANITYCHECKS switch the build ran with (servers' self-checks kept). */
  sanityChecks?: boolean;
  blocks: BlockInfo[];
}
