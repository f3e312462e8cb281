/*
 * The CPU benchmarks: dhry2reg (Dhrystone 2.1, integer and string work) and
 * whetstone-double (the Whetstone modules in double precision). The work
 * is real JS computation whose results are checked; simulated time is
 * charged per loop from a fixed operation count, in batches (a batch is
 * what runs between two timer ticks), since user computation makes no
 * system calls.
 *
 * The entry points into this file are:
 *   dhry2reg         Dhrystone 2.1; one iteration = one Dhrystone loop
 *   whetstoneDouble  Whetstone; one iteration = one pass over the modules
 */
import { Co } from '../../kernel/types';
import { Libc } from '../../libc/libc';
import { BenchProgram, CPU_NS_PER_OP, need } from './bench-api';

/** Loops between two charges of simulated CPU time. */
const BATCH = 50;

/** Run `loop` n times, charging `nsPerLoop` per loop every BATCH loops. */
function* charged(u: Libc, n: number, nsPerLoop: number, loop: (i: number) => void): Co<number> {
  let done = 0;
  while (done < n) {
    const k = Math.min(BATCH, n - done);
    for (let j = 0; j < k; j++) loop(done + j + 1);
    yield* u.compute(k * nsPerLoop);
    done += k;
  }
  return done;
}

/* ---------------------------------------------------------------------- */
/* Dhrystone 2.1 (Weicker), a direct port.                                 */

/**
 * Machine instructions per Dhrystone loop: the usual figure for Dhrystone
 * 2.1 compiled for a RISC core (10 procedure calls, two 30-character string
 * copies, one string comparison, ~100 statements) is 300-400; we take 350.
 */
const DHRY_OPS_PER_LOOP = 350;

const IDENT_1 = 0, IDENT_2 = 1, IDENT_3 = 2, IDENT_4 = 3;

interface Rec { ptrComp: Rec | null; discr: number; enumComp: number; intComp: number; strComp: string }

function newRec(): Rec { return { ptrComp: null, discr: IDENT_1, enumComp: IDENT_1, intComp: 0, strComp: '' } }

function assignRec(dst: Rec, src: Rec): void {
  dst.ptrComp = src.ptrComp; dst.discr = src.discr; dst.enumComp = src.enumComp;
  dst.intComp = src.intComp; dst.strComp = src.strComp;
}

/** strcpy of a 30-character string, character by character as C does it. */
function strcpy(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s[i];
  return out;
}

function strcmp(a: string, b: string): number {
  for (let i = 0; ; i++) {
    const ca = i < a.length ? a.charCodeAt(i) : 0;
    const cb = i < b.length ? b.charCodeAt(i) : 0;
    if (ca !== cb || ca === 0) return ca - cb;
  }
}

/** One run of Dhrystone; `loops` runs the main loop, then the final values are checked against the published ones. */
class Dhrystone {
  intGlob = 0; boolGlob = false; ch1Glob = '\0'; ch2Glob = '\0';
  arr1Glob = new Int32Array(50);
  arr2Glob: Int32Array[] = [];
  ptrGlob = newRec(); nextPtrGlob = newRec();
  int1Loc = 0; int2Loc = 0; int3Loc = 0; enumLoc = IDENT_1;
  str1Loc = ''; str2Loc = '';

  constructor() {
    for (let i = 0; i < 50; i++) this.arr2Glob.push(new Int32Array(50));
    const p = this.ptrGlob;
    p.ptrComp = this.nextPtrGlob; p.discr = IDENT_1; p.enumComp = IDENT_3; p.intComp = 40;
    p.strComp = strcpy('DHRYSTONE PROGRAM, SOME STRING');
    this.str1Loc = strcpy("DHRYSTONE PROGRAM, 1'ST STRING");
    this.arr2Glob[8]![7] = 10;
  }

  loop(runIndex: number): void {
    this.proc5();
    this.proc4();
    this.int1Loc = 2;
    this.int2Loc = 3;
    this.str2Loc = strcpy("DHRYSTONE PROGRAM, 2'ND STRING");
    this.enumLoc = IDENT_2;
    this.boolGlob = !this.func2(this.str1Loc, this.str2Loc);
    while (this.int1Loc < this.int2Loc) {
      this.int3Loc = 5 * this.int1Loc - this.int2Loc;
      this.int3Loc = this.proc7(this.int1Loc, this.int2Loc);
      this.int1Loc += 1;
    }
    this.proc8(this.arr1Glob, this.arr2Glob, this.int1Loc, this.int3Loc);
    this.proc1(this.ptrGlob);
    for (let ch = 65; ch <= this.ch2Glob.charCodeAt(0); ch++) {
      if (this.enumLoc === this.func1(String.fromCharCode(ch), 'C')) {
        this.enumLoc = this.proc6(IDENT_1, this.enumLoc);
        this.str2Loc = strcpy("DHRYSTONE PROGRAM, 3'RD STRING");
        this.int2Loc = runIndex;
        this.intGlob = runIndex;
      }
    }
    this.int2Loc = this.int2Loc * this.int1Loc;
    this.int1Loc = Math.trunc(this.int2Loc / this.int3Loc);
    this.int2Loc = 7 * (this.int2Loc - this.int3Loc) - this.int1Loc;
    this.int1Loc = this.proc2(this.int1Loc);
  }

  private proc1(ptrValPar: Rec): void {
    const nextRecord = ptrValPar.ptrComp!;
    assignRec(nextRecord, this.ptrGlob);
    ptrValPar.intComp = 5;
    nextRecord.intComp = ptrValPar.intComp;
    nextRecord.ptrComp = ptrValPar.ptrComp;
    nextRecord.ptrComp = this.proc3(nextRecord.ptrComp);
    if (nextRecord.discr === IDENT_1) {
      nextRecord.intComp = 6;
      nextRecord.enumComp = this.proc6(ptrValPar.enumComp, nextRecord.enumComp);
      nextRecord.ptrComp = this.ptrGlob.ptrComp;
      nextRecord.intComp = this.proc7(nextRecord.intComp, 10);
    } else {
      assignRec(ptrValPar, ptrValPar.ptrComp!);
    }
  }

  private proc2(intParRef: number): number {
    let intLoc = intParRef + 10;
    let enumLoc = IDENT_2;
    do {
      if (this.ch1Glob === 'A') {
        intLoc -= 1;
        intParRef = intLoc - this.intGlob;
        enumLoc = IDENT_1;
      }
    } while (enumLoc !== IDENT_1);
    return intParRef;
  }

  private proc3(ptrRefPar: Rec | null): Rec | null {
    if (this.ptrGlob !== null) ptrRefPar = this.ptrGlob.ptrComp;
    this.ptrGlob.intComp = this.proc7(10, this.intGlob);
    return ptrRefPar;
  }

  private proc4(): void {
    const boolLoc = this.ch1Glob === 'A';
    this.boolGlob = boolLoc || this.boolGlob;
    this.ch2Glob = 'B';
  }

  private proc5(): void {
    this.ch1Glob = 'A';
    this.boolGlob = false;
  }

  private proc6(enumValPar: number, enumRefPar: number): number {
    enumRefPar = enumValPar;
    if (!this.func3(enumValPar)) enumRefPar = IDENT_4;
    switch (enumValPar) {
      case IDENT_1: enumRefPar = IDENT_1; break;
      case IDENT_2: enumRefPar = this.intGlob > 100 ? IDENT_1 : IDENT_4; break;
      case IDENT_3: enumRefPar = IDENT_2; break;
      case IDENT_4: break;
      default: enumRefPar = IDENT_3; break;
    }
    return enumRefPar;
  }

  private proc7(int1ParVal: number, int2ParVal: number): number {
    const intLoc = int1ParVal + 2;
    return int2ParVal + intLoc;
  }

  private proc8(arr1: Int32Array, arr2: Int32Array[], int1ParVal: number, int2ParVal: number): void {
    const intLoc = int1ParVal + 5;
    arr1[intLoc] = int2ParVal;
    arr1[intLoc + 1] = arr1[intLoc];
    arr1[intLoc + 30] = intLoc;
    for (let intIndex = intLoc; intIndex <= intLoc + 1; intIndex++) arr2[intLoc]![intIndex] = intLoc;
    arr2[intLoc]![intLoc - 1]! += 1;
    arr2[intLoc + 20]![intLoc] = arr1[intLoc]!;
    this.intGlob = 5;
  }

  private func1(ch1ParVal: string, ch2ParVal: string): number {
    const ch1Loc = ch1ParVal;
    const ch2Loc = ch1Loc;
    if (ch2Loc !== ch2ParVal) return IDENT_1;
    this.ch1Glob = ch1Loc;
    return IDENT_2;
  }

  private func2(str1: string, str2: string): boolean {
    let intLoc = 2;
    let chLoc = '\0';
    while (intLoc <= 2) {
      if (this.func1(str1[intLoc]!, str2[intLoc + 1]!) === IDENT_1) {
        chLoc = 'A';
        intLoc += 1;
      }
    }
    if (chLoc >= 'W' && chLoc < 'Z') intLoc = 7;
    if (chLoc === 'R') return true;
    if (strcmp(str1, str2) > 0) {
      intLoc += 7;
      this.intGlob = intLoc;
      return true;
    }
    return false;
  }

  private func3(enumParVal: number): boolean {
    return enumParVal === IDENT_3;
  }

  /** The final values Dhrystone 2.1 prints "should be" after `runs` loops. */
  verify(runs: number): void {
    const next = this.nextPtrGlob, p = this.ptrGlob;
    need(this.intGlob === 5 && this.boolGlob && this.ch1Glob === 'A' && this.ch2Glob === 'B', 'dhrystone globals');
    need(this.arr1Glob[8] === 7 && this.arr2Glob[8]![7] === runs + 10, 'dhrystone arrays');
    need(p.discr === 0 && p.enumComp === 2 && p.intComp === 17 && p.strComp === 'DHRYSTONE PROGRAM, SOME STRING', 'dhrystone Ptr_Glob');
    need(next.discr === 0 && next.enumComp === 1 && next.intComp === 18 && next.strComp === p.strComp, 'dhrystone Next_Ptr_Glob');
    need(p.ptrComp === next.ptrComp, 'dhrystone Ptr_Comp');
    need(this.int1Loc === 5 && this.int2Loc === 13 && this.int3Loc === 7 && this.enumLoc === 1, 'dhrystone locals');
    need(this.str1Loc === "DHRYSTONE PROGRAM, 1'ST STRING" && this.str2Loc === "DHRYSTONE PROGRAM, 2'ND STRING", 'dhrystone strings');
  }
}

export const dhry2reg: BenchProgram = {
  name: 'dhry2reg',
  unit: 'loop',
  iterations: 5000,
  body: function* (u: Libc, n: number): Co<number> {
    const d = new Dhrystone();
    const done = yield* charged(u, n, DHRY_OPS_PER_LOOP * CPU_NS_PER_OP, (i) => d.loop(i));
    if (done > 0) d.verify(done);
    return done;
  },
};

/* ---------------------------------------------------------------------- */
/* Whetstone (Curnow and Wichmann), double precision.                      */

/**
 * Loop counts of the modules in one pass: the classic proportions
 * (N2=12, N3=14, N4=345, N6=210, N7=32, N8=899, N9=616, N11=93 per 100,000
 * Whetstone instructions) scaled by 1/10 and rounded, so one pass is about
 * 10,000 Whetstone instructions of real floating-point work.
 */
const N2 = 1, N3 = 1, N4 = 35, N6 = 21, N7 = 3, N8 = 90, N9 = 62, N11 = 9;

/**
 * Operations per pass: module 2 (4 statements of 4 flops) 16, module 3
 * (PA: 6 rounds of 4 statements of 4 flops) 100, module 4 (3 branches)
 * 3*35, module 6 (12 integer ops) 12*21, module 7 (2 statements with
 * sin/cos/atan at ~40 ops each, 6 flops) 250*3, module 8 (P3: 8 flops and
 * a call) 10*90, module 9 (P0: 3 indexed copies) 6*62, module 11
 * (sqrt/exp/log at ~40 ops each) 120*9: about 3,600.
 */
const WHET_OPS_PER_PASS = 3600;

const T = 0.499975, T1 = 0.50025, T2 = 2.0;

class Whetstone {
  e1 = new Float64Array(5);
  j = 0; k = 0; l = 0;
  x = 0; y = 0; z = 0;

  pa(e: Float64Array): void {
    for (let jj = 0; jj < 6; jj++) {
      e[1] = (e[1]! + e[2]! + e[3]! - e[4]!) * T;
      e[2] = (e[1] + e[2]! - e[3]! + e[4]!) * T;
      e[3] = (e[1] - e[2] + e[3]! + e[4]!) * T;
      e[4] = (-e[1] + e[2] + e[3] + e[4]!) / T2;
    }
  }

  p0(): void {
    const e1 = this.e1;
    e1[this.j] = e1[this.k]!;
    e1[this.k] = e1[this.l]!;
    e1[this.l] = e1[this.j]!;
  }

  p3(x: number, y: number): number {
    x = T * (x + y);
    y = T * (x + y);
    return (x + y) / T2;
  }

  pass(): void {
    const e1 = this.e1;
    // Module 2: array elements.
    e1[1] = 1.0; e1[2] = -1.0; e1[3] = -1.0; e1[4] = -1.0;
    for (let i = 0; i < N2; i++) {
      e1[1] = (e1[1] + e1[2] + e1[3] - e1[4]) * T;
      e1[2] = (e1[1] + e1[2] - e1[3] + e1[4]) * T;
      e1[3] = (e1[1] - e1[2] + e1[3] + e1[4]) * T;
      e1[4] = (-e1[1] + e1[2] + e1[3] + e1[4]) * T;
    }
    // Module 3: array as parameter.
    for (let i = 0; i < N3; i++) this.pa(e1);
    // Module 4: conditional jumps.
    let j = 1;
    for (let i = 0; i < N4; i++) {
      j = j === 1 ? 2 : 3;
      j = j > 2 ? 0 : 1;
      j = j < 1 ? 1 : 0;
    }
    // Module 6: integer arithmetic.
    j = 1; let k = 2; let l = 3;
    for (let i = 0; i < N6; i++) {
      j = j * (k - j) * (l - k);
      k = l * k - (l - j) * k;
      l = (l - k) * (k + j);
      e1[l - 1] = j + k + l;
      e1[k - 1] = j * k * l;
    }
    // Module 7: trigonometric functions.
    let x = 0.5, y = 0.5;
    for (let i = 0; i < N7; i++) {
      x = T * Math.atan(T2 * Math.sin(x) * Math.cos(x) / (Math.cos(x + y) + Math.cos(x - y) - 1.0));
      y = T * Math.atan(T2 * Math.sin(y) * Math.cos(y) / (Math.cos(x + y) + Math.cos(x - y) - 1.0));
    }
    // Module 8: procedure calls.
    x = 1.0; y = 1.0; let z = 1.0;
    for (let i = 0; i < N8; i++) z = this.p3(x, y);
    // Module 9: array references.
    this.j = 1; this.k = 2; this.l = 3;
    e1[1] = 1.0; e1[2] = 2.0; e1[3] = 3.0;
    for (let i = 0; i < N9; i++) this.p0();
    // Module 11: standard functions.
    let w = 0.75;
    for (let i = 0; i < N11; i++) w = Math.sqrt(Math.exp(Math.log(w) / T1));
    this.j = j; this.k = k; this.l = l;
    this.x = w; this.y = y; this.z = z;
  }

  /** The invariants of a pass: fixed integer results and finite, bounded floating-point ones. */
  verify(): void {
    need(this.j === 1 && this.k === 2 && this.l === 3, 'whetstone integer module');
    // P0 maps (e1[1], e1[2], e1[3]) = (a, b, c) to (b, c, b): from (1, 2, 3) it alternates (2, 3, 2), (3, 2, 3).
    const odd = N9 % 2 === 1;
    need(this.e1[1] === (odd ? 2 : 3) && this.e1[2] === (odd ? 3 : 2) && this.e1[3] === this.e1[1], 'whetstone array references');
    need(Number.isFinite(this.x) && this.x > 0.5 && this.x < 1, 'whetstone standard functions');
    need(Number.isFinite(this.z) && this.z > 0.9 && this.z < 1.0, 'whetstone procedure calls');
  }
}

export const whetstoneDouble: BenchProgram = {
  name: 'whetstone-double',
  unit: 'pass',
  iterations: 1000,
  body: function* (u: Libc, n: number): Co<number> {
    const w = new Whetstone();
    let bad = false;
    const done = yield* charged(u, n, WHET_OPS_PER_PASS * CPU_NS_PER_OP, () => {
      w.pass();
      if (!Number.isFinite(w.e1[4]) || !Number.isFinite(w.y)) bad = true;
    });
    need(!bad, 'whetstone results are finite');
    if (done > 0) w.verify();
    return done;
  },
};
