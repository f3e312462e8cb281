/*
 * VM's call table: message type -> handler, with the call's name beside it.
 *
 * The entry points into this file are:
 *   vmTable   the table the SEF loop dispatches through
 */
import * as C from '../../proto/calls';
import { CallTable, entry } from '../../sef/server';
import { do_brk } from './break';
import { do_exec_newmem } from './exec';
import { do_exit, do_fork, do_notify_sig, do_willexit } from './forkexit';
import { do_mmap, do_mprotect, do_munmap } from './mmap';
import { VmState } from './state';
import { do_getphys, do_info } from './utility';

export const vmTable: CallTable<VmState> = {
  [C.VM_BRK]: entry(C.VM_BRK, 'brk', do_brk),
  [C.VM_MMAP]: entry(C.VM_MMAP, 'mmap', do_mmap),
  [C.VM_MUNMAP]: entry(C.VM_MUNMAP, 'munmap', do_munmap),
  [C.VM_MPROTECT]: entry(C.VM_MPROTECT, 'mprotect', do_mprotect),
  [C.VM_FORK]: entry(C.VM_FORK, 'vm_fork', do_fork),
  [C.VM_EXIT]: entry(C.VM_EXIT, 'vm_exit', do_exit),
  [C.VM_EXEC_NEWMEM]: entry(C.VM_EXEC_NEWMEM, 'vm_exec_newmem', do_exec_newmem),
  [C.VM_WILLEXIT]: entry(C.VM_WILLEXIT, 'vm_willexit', do_willexit),
  [C.VM_NOTIFY_SIG]: entry(C.VM_NOTIFY_SIG, 'vm_notify_sig', do_notify_sig),
  [C.VM_INFO]: entry(C.VM_INFO, 'vm_info', do_info),
  [C.VM_GETPHYS]: entry(C.VM_GETPHYS, 'vm_getphys', do_getphys),
};
