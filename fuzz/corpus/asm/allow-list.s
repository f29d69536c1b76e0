; an allow list for x86_64
	ld [4]			; arch
	jeq #0xc000003e, ok, bad
ok:	ld [0]
	jge #0x40000000, bad
	jeq #0, allow		; read
	jeq #1, allow		; write
	jeq #60, allow, next	; exit
next:	jeq #231, allow
	ret ERRNO(1)
allow:	ret ALLOW
bad:	ret KILL_PROCESS
