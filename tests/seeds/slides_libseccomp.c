/* seeds/004 (slides "Libseccomp API: how to use it"): the snippets put in a
 * main().  Only write and exit are allowed, so the program leaves through
 * exit(2) itself: returning from main would call exit_group and be killed. */
#include <seccomp.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
	scmp_filter_ctx ctx;
	static const char msg[] = "filter loaded: write still works\n";

	ctx = seccomp_init(SCMP_ACT_KILL);
	seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 0);
	seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
	seccomp_load(ctx);
	seccomp_release(ctx);
	write(1, msg, strlen(msg));
	syscall(SYS_exit, 0);
	return 1;
}
