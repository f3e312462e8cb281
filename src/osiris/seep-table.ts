/*
 * The SEEP table (Side Effect Engraved Passages): every message type of the
 * protocol and every kernel call, classified as data with a one-line
 * reason — does it change the receiver's state, and which recovery decision
 * it implies:
 *   IDEMPOTENT        nothing outside the server changes; the window stays open
 *   REQUEST_SPECIFIC  only the requester's own request state changes (its buffer); an error reply covers it
 *   PROCESS_SPECIFIC  only the requesting process is affected; recovery kills it (or error-replies to a system process)
 *   GLOBAL_CHANGE     state elsewhere in the system changes; the window must close
 * Replies to processes other than the requester are GLOBAL_CHANGE (they
 * unblock someone with a result that rollback cannot take back).
 * `osiris-fi seep-audit` checks the IDEMPOTENT and REQUEST_SPECIFIC entries
 * against what handling them did to the receiver while the suite ran; the
 * entries it showed changing their receiver (PREAD, DS_RETRIEVE, REQ_READ,
 * REQ_GETDENTS, REQ_SYNC, SETALARM, SETGRANT, REVOKE, DIAGCTL) are
 * GLOBAL_CHANGE.
 */
import * as C from '../os/proto/calls';
import * as K from '../os/proto/kcalls';

export type Decision = 'IDEMPOTENT' | 'REQUEST_SPECIFIC' | 'PROCESS_SPECIFIC' | 'GLOBAL_CHANGE';
export const DECISIONS: readonly Decision[] = ['IDEMPOTENT', 'REQUEST_SPECIFIC', 'PROCESS_SPECIFIC', 'GLOBAL_CHANGE'];

export interface Seep {
  modifies: boolean;
  decision: Decision;
  reason: string;
  /**
   * Kernel calls even the pessimistic policy lets through: the prototype's
   * exclusion list ("44 4" in fm_action.inc: SYS_PRIVCTL, SYS_DIAGCTL). A
   * policy may exempt more (Policy.exemptKcalls).
   */
  exempt?: boolean;
}

const idem = (reason: string): Seep => ({ modifies: false, decision: 'IDEMPOTENT', reason });
const req = (reason: string): Seep => ({ modifies: true, decision: 'REQUEST_SPECIFIC', reason });
const proc = (reason: string): Seep => ({ modifies: true, decision: 'PROCESS_SPECIFIC', reason });
const glob = (reason: string): Seep => ({ modifies: true, decision: 'GLOBAL_CHANGE', reason });

/** Messages, by type. */
export const MESSAGE_SEEPS: Record<number, Seep> = {
  [C.NOTIFY_MESSAGE]: glob('a notification wakes the receiver and cannot be taken back'),
  // PM: requests from servers never reach PM; user requests are not sent by servers
  [C.PM_FORK]: glob('creates a process'), [C.PM_EXEC]: proc('replaces the caller image'), [C.PM_EXIT]: proc('ends the caller'),
  [C.PM_WAITPID]: glob('reaps a child'), [C.PM_KILL]: glob('signals other processes'), [C.PM_SIGACTION]: proc('changes the caller signal action'),
  [C.PM_SIGPROCMASK]: proc('changes the caller mask'), [C.PM_SIGPENDING]: idem('reads the pending set'), [C.PM_SIGSUSPEND]: proc('suspends the caller'),
  [C.PM_SIGRETURN]: proc('restores the caller mask'), [C.PM_ALARM]: proc('sets the caller alarm'), [C.PM_GETPID]: idem('reads ids'),
  [C.PM_GETUID]: idem('reads ids'), [C.PM_GETGID]: idem('reads ids'), [C.PM_SETUID]: proc('changes the caller ids'), [C.PM_SETGID]: proc('changes the caller ids'),
  [C.PM_SETEUID]: proc('changes the caller ids'), [C.PM_SETEGID]: proc('changes the caller ids'), [C.PM_TIMES]: idem('reads times'),
  [C.PM_GETTIMEOFDAY]: idem('reads the clock'), [C.PM_GETPGRP]: idem('reads the group'), [C.PM_SETSID]: proc('changes the caller session'),
  [C.PM_GETEPINFO]: idem('reads process ids'), [C.PM_GETPROCNR]: idem('reads an endpoint'), [C.PM_SETGROUPS]: proc('changes the caller groups'),
  [C.PM_GETGROUPS]: idem('reads groups'), [C.PM_SETPGID]: glob('moves a process between groups'), [C.PM_GETPRIORITY]: idem('reads the priority'),
  [C.PM_SETPRIORITY]: proc('changes the caller priority'), [C.PM_REBOOT]: glob('stops the system'),
  // VFS user calls (sent by users only; listed for completeness)
  [C.VFS_OPEN]: glob('opens or creates a file'), [C.VFS_CLOSE]: glob('drops a file reference'), [C.VFS_READ]: glob('moves a file offset, drains a pipe'),
  [C.VFS_WRITE]: glob('changes file data'), [C.VFS_LSEEK]: glob('moves a shared offset'), [C.VFS_PREAD]: glob('counts the read in VFS statistics (stats.reads), which no reply or kill takes back'),
  [C.VFS_PWRITE]: glob('changes file data'), [C.VFS_STAT]: req('fills the caller reply'), [C.VFS_FSTAT]: req('fills the caller reply'),
  [C.VFS_LSTAT]: req('fills the caller reply'), [C.VFS_UNLINK]: glob('removes a name'), [C.VFS_RENAME]: glob('moves a name'),
  [C.VFS_LINK]: glob('adds a name'), [C.VFS_SYMLINK]: glob('adds a name'), [C.VFS_READLINK]: req('fills the caller buffer'),
  [C.VFS_MKDIR]: glob('adds a directory'), [C.VFS_RMDIR]: glob('removes a directory'), [C.VFS_CHDIR]: proc('changes the caller cwd'),
  [C.VFS_FCHDIR]: proc('changes the caller cwd'), [C.VFS_GETCWD]: idem('reads the cwd'), [C.VFS_GETDENTS]: glob('moves a shared offset'),
  [C.VFS_DUP]: proc('changes the caller fd table'), [C.VFS_DUP2]: proc('changes the caller fd table'), [C.VFS_FCNTL]: glob('may change shared file flags'),
  [C.VFS_CHMOD]: glob('changes an inode'), [C.VFS_FCHMOD]: glob('changes an inode'), [C.VFS_CHOWN]: glob('changes an inode'),
  [C.VFS_ACCESS]: idem('checks permissions'), [C.VFS_UMASK]: proc('changes the caller umask'), [C.VFS_TRUNCATE]: glob('changes file data'),
  [C.VFS_FTRUNCATE]: glob('changes file data'), [C.VFS_UTIME]: glob('changes an inode'), [C.VFS_PIPE]: proc('adds descriptors to the caller'),
  [C.VFS_MKNOD]: glob('adds a name'), [C.VFS_SYNC]: idem('flushes nothing visible'), [C.VFS_FSYNC]: idem('flushes nothing visible'),
  [C.VFS_STATVFS]: req('fills the caller reply'),
  // VFS calls from PM
  [C.VFS_PM_FORK]: glob('VFS copies a process fd table'), [C.VFS_PM_EXIT]: glob('VFS closes a process files'),
  [C.VFS_PM_EXEC]: glob('VFS closes close-on-exec files'), [C.VFS_PM_SETUID]: glob('VFS changes a process ids'),
  [C.VFS_PM_SETGID]: glob('VFS changes a process ids'), [C.VFS_PM_UNPAUSE]: glob('VFS may wake a suspended process'),
  [C.VFS_PM_DUMPCORE]: glob('VFS writes a core file'), [C.VFS_PM_SETSID]: glob('VFS changes a process session'),
  // VM
  [C.VM_BRK]: proc('changes the caller heap'), [C.VM_MMAP]: proc('maps memory for the caller'), [C.VM_MUNMAP]: proc('unmaps the caller memory'),
  [C.VM_FORK]: glob('VM creates an address space and a process'), [C.VM_EXIT]: glob('VM frees an address space'),
  [C.VM_EXEC_NEWMEM]: glob('VM rebuilds an address space'), [C.VM_WILLEXIT]: idem('VM only notes the coming exit'),
  [C.VM_NOTIFY_SIG]: idem('VM only notes a signal'), [C.VM_INFO]: idem('reads VM statistics'), [C.VM_GETPHYS]: idem('reads a translation'),
  [C.VM_MPROTECT]: proc('changes the caller protections'),
  // DS
  [C.DS_PUBLISH]: glob('stores a value and notifies subscribers'), [C.DS_RETRIEVE]: glob('counts the retrieve in DS statistics (stats.retrieves), which no reply or kill takes back'),
  [C.DS_DELETE]: glob('removes a value'), [C.DS_CHECK]: proc('consumes the caller notification'),
  [C.DS_SUBSCRIBE]: proc('adds a subscription of the caller'), [C.DS_UNSUBSCRIBE]: proc('removes a subscription of the caller'),
  [C.DS_PM_EXIT]: glob('DS drops the subscriptions of an exited process'),
  // RS
  [C.RS_SERVICE_FI]: glob('arms a crash in a server'), [C.RS_LOOKUP]: idem('reads the service table'),
  [C.RS_INIT]: idem('RS only notes an init'), [C.RS_STATUS]: idem('reads the service table'),
  [C.COMMON_REQ_FI_CTL]: glob('asks a server to crash'),
  // MFS requests from VFS
  [C.REQ_LOOKUP]: glob('resolves a path and may take an inode reference in MFS'), [C.REQ_CREATE]: glob('creates a file'),
  [C.REQ_MKDIR]: glob('creates a directory'), [C.REQ_MKNOD]: glob('creates a node'), [C.REQ_UNLINK]: glob('removes a name'),
  [C.REQ_RMDIR]: glob('removes a directory'), [C.REQ_RENAME]: glob('moves a name'), [C.REQ_LINK]: glob('adds a name'),
  [C.REQ_SLINK]: glob('adds a symlink'), [C.REQ_RDLINK]: req('reads a link into the caller buffer'), [C.REQ_READ]: glob('copies data to the requester and sets the inode access time in MFS'),
  [C.REQ_WRITE]: glob('changes file data'), [C.REQ_GETDENTS]: glob('copies entries to the requester and sets the directory access time in MFS'), [C.REQ_STAT]: idem('reads an inode'),
  [C.REQ_CHMOD]: glob('changes an inode'), [C.REQ_CHOWN]: glob('changes an inode'), [C.REQ_FTRUNC]: glob('changes file data'),
  [C.REQ_UTIME]: glob('changes an inode'), [C.REQ_PUTNODE]: glob('drops inode references'), [C.REQ_GETNODE]: glob('takes an inode reference'),
  [C.REQ_SYNC]: glob('flushes to the simulated disk and counts the flush in MFS (syncs)'), [C.REQ_STATVFS]: idem('reads file-system counters'), [C.REQ_INHIBREAD]: idem('a hint'),
};

/** Kernel calls, by number. */
export const KCALL_SEEPS: Record<number, Seep> = {
  [K.SYS_FORK]: glob('creates a process'),
  [K.SYS_EXEC]: proc('replaces the requester image'),
  [K.SYS_EXIT]: glob('removes a process'),
  [K.SYS_KILL]: glob('raises a signal'),
  [K.SYS_GETKSIG]: glob('consumes pending kernel signals'),
  [K.SYS_ENDKSIG]: glob('finishes kernel signal handling'),
  [K.SYS_SIGSEND]: proc('makes the target run a handler'),
  [K.SYS_SETALARM]: glob('moves the caller alarm, which the kernel keeps: rolled back, PM kernelAlarm disagrees and an alarm fires late or never'),
  [K.SYS_TIMES]: idem('reads clocks'),
  [K.SYS_VMCTL]: glob('changes a page table'),
  [K.SYS_PHYSCOPY]: glob('changes physical memory'),
  [K.SYS_PHYSZERO]: glob('changes physical memory'),
  [K.SYS_SAFECOPYFROM]: idem('reads through a grant'),
  [K.SYS_SAFECOPYTO]: req('writes the requester buffer through its grant'),
  [K.SYS_VIRCOPYFROM]: idem('reads user memory'),
  [K.SYS_VIRCOPYTO]: req('writes the requester buffer'),
  [K.SYS_SETGRANT]: glob('adds a grant to the table the kernel keeps: a rollback leaves it behind, still open to the grantee'),
  [K.SYS_REVOKE]: glob('removes a grant from the table the kernel keeps: a rollback does not bring it back'),
  [K.SYS_GETINFO]: idem('reads kernel information'),
  [K.SYS_PRIVCTL]: { ...glob('changes privileges'), exempt: true },
  [K.SYS_ABORT]: glob('stops the system'),
  [K.SYS_DIAGCTL]: { ...glob('a diagnostic line, or (service fi) arming a crash in a server: the kernel keeps fiArmed'), exempt: true },
};

/** A reply (any message to a user process, or a non-protocol type to a server). */
export const REPLY_SEEP: Seep = glob('a reply unblocks its receiver with a result rollback cannot take back');
