/* The BPF recorder of `muzzle learn --backend ebpf` (learn_ebpf.bpf.o, built
 * by clang -target bpf), embedded in the muzzle binary so nothing is looked
 * up at run time.  The Makefile passes its directory with -Wa,-I. */
	.section .rodata
	.balign 8
	.globl learn_ebpf_obj_start
	.hidden learn_ebpf_obj_start
learn_ebpf_obj_start:
	.incbin "learn_ebpf.bpf.o"
	.globl learn_ebpf_obj_end
	.hidden learn_ebpf_obj_end
learn_ebpf_obj_end:

	.section .note.GNU-stack, "", %progbits
