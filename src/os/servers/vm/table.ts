/*
 * VM's call table: message type -> handler, with the call's name beside it.
 *
 * The entry points into this file are:
 *   vmTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallEntry, entry } from '../../sef/server';
import { do_brk } from './break';
import { do_exec_newmem } from './exec';
import { do_exit, do_fork, do_notify_sig, do_willexit } from './forkexit';
import { do_mmap, do_mprotect, do_munmap } from './mmap';
import { VmState } from './state';
import { do_getphys, do_info } from './utility';

export const vmTable: Record<number, CallEntry<VmState>> = {
  [C.VM_BRK]: entry('brk', do_brk),
  [C.VM_MMAP]: entry('mmap', do_mmap),
  [C.VM_MUNMAP]: entry('munmap', do_munmap),
  [C.VM_MPROTECT]: entry('mprotect', do_mprotect),
  [C.VM_FORK]: entry('vm_fork', do_fork),
  [C.VM_EXIT]: entry('vm_exit', do_exit),
  [C.VM_EXEC_NEWMEM]: entry('vm_exec_newmem', do_exec_newmem),
  [C.VM_WILLEXIT]: entry('vm_willexit', do_willexit),
  [C.VM_NOTIFY_SIG]: entry('vm_notify_sig', do_notify_sig),
  [C.VM_INFO]: entry('vm_info', do_info),
  [C.VM_GETPHYS]: entry('vm_getphys', do_getphys),
};
