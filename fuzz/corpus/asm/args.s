	ld [0]
	jeq #257, L2, L9
L2:	ld [36]
	jeq #0, L4, L9		// args[2] hi
L4:	ld [32]
	jset #3, L9, L6
L6:	ldx #5
	st M[0]
	ld M[0]
	add x
	tax
	txa
	and #0xff
	rsh #1
	neg
	jgt x, L9, +0
	insn 0x06, 0, 0, 0x7fff0000
L9:	ret TRACE(7)
