/*
 * The data section of RS: the service table (one record per system service,
 * with its privileges and heartbeat bookkeeping) and RS's counters.
 *
 * The entry points into this file are:
 *   initialState()   a fresh data section, as at boot (the table is filled by initFresh)
 */
import { NONE } from '../../proto/endpoints';
import { BootParams } from '../../sef/server';

export const NR_SERVICES = 8;

/* Service flags. */
export const RSF_ALIVE = 0x1;
/** A heartbeat ping went out and no pong has come back yet. */
export const RSF_PING_PENDING = 0x2;
export const RSF_CRASHED = 0x4;
/** The service reported RS_INIT. */
export const RSF_INIT_DONE = 0x8;

export interface RsService {
  inUse: boolean;
  label: string;
  endpoint: number;
  /** The kernel calls the service may make, as installed with SYS_PRIVCTL. */
  callMask: number;
  flags: number;
  pings: number;
  pongs: number;
  restarts: number;
  /** Restarts in a row that answered no requester (a crash loop when it keeps growing). */
  unanswered: number;
}

export interface RsCounters {
  /** Heartbeat alarms handled. */
  ticks: number;
  pingsSent: number;
  pongs: number;
  /** Notifications that were neither a tick, a crash report nor an expected pong. */
  strayNotifies: number;
  hangs: number;
  crashes: number;
  fiRequests: number;
  inits: number;
}

export interface RsState {
  services: RsService[];
  /** Simulated time of the next heartbeat, or -1 when none is armed. */
  heartbeatAt: number;
  counters: RsCounters;
}

function emptyService(): RsService {
  return { inUse: false, label: '', endpoint: NONE, callMask: 0, flags: 0, pings: 0, pongs: 0, restarts: 0, unanswered: 0 };
}

export function initialState(_params: BootParams): RsState {
  const services: RsService[] = new Array(NR_SERVICES);
  for (let i = 0; i < NR_SERVICES; i++) services[i] = emptyService();
  return {
    services,
    heartbeatAt: -1,
    counters: { ticks: 0, pingsSent: 0, pongs: 0, strayNotifies: 0, hangs: 0, crashes: 0, fiRequests: 0, inits: 0 },
  };
}
