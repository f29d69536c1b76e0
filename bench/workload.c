/* A syscall-heavy workload for timing `muzzle learn` against strace: two
 * forked children, each with a second thread, loop over cheap calls
 * (getppid, stat, open/read/close of a small file).  Cheap calls make the
 * tracer's cost per call, not the kernel's work, dominate the time.
 *
 * usage: workload [ITERATIONS]  (per thread; each iteration is 5 calls) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FILE_READ "/etc/hostname"

static long iterations = 20000;

static void *loop(void *unused)
{
	char buf[64];
	struct stat st;

	(void)unused;
	for (long i = 0; i < iterations; i++) {
		int fd;

		getppid();
		stat(FILE_READ, &st);
		fd = open(FILE_READ, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (read(fd, buf, sizeof(buf)) < 0)
				break;
			close(fd);
		}
	}
	return NULL;
}

static int child(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, loop, NULL))
		return 1;
	loop(NULL);
	return pthread_join(t, NULL) ? 1 : 0;
}

int main(int argc, char **argv)
{
	pid_t pids[2];
	int status, rc = 0;

	if (argc > 1)
		iterations = atol(argv[1]);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 1;
		if (pids[i] == 0)
			_exit(child());
	}
	for (int i = 0; i < 2; i++)
		if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	return rc;
}
