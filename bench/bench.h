/* Shared by the benchmark's files: bench.c (compiler measures, report,
 * targets), mix.c (the recorded syscall mix), procs.c (whole-process
 * timings of muzzle learn and muzzle run). */
#ifndef MUZZLE_BENCH_H
#define MUZZLE_BENCH_H

#include <stdint.h>

double now_ns(void);
/* sorts v */
double median(double *v, int n);

/* met / missed / n/a counts of the Targets section */
struct tally {
	unsigned met, missed, na;
};

const char *verdict(struct tally *t, int ok);

/* --- the syscall mix recorded by bench/mix.sh (mix.c) --- */

#define MIX_MAX_PROGRAMS 8

struct mix {
	unsigned long *calls;		/* per syscall id: calls made on x86_64 */
	unsigned long total;		/* all calls recorded */
	unsigned long unmapped;		/* calls whose name has no x86_64 number here */
	char unknown[160];		/* some of those names */
	int nprograms;
	char programs[MIX_MAX_PROGRAMS][256];
};

/* 0, or -1 with a message on stderr */
int mix_read(const char *path, struct mix *m);
void mix_free(struct mix *m);

/* --- whole processes (procs.c) --- */

enum learn_how { LEARN_BARE, LEARN_STRACE, LEARN_NOTIFY, LEARN_EBPF, LEARN_HOWS };

struct learn_result {
	int ok[LEARN_HOWS];
	double med[LEARN_HOWS];		/* median ns per workload run */
	char why[LEARN_HOWS][200];	/* why a configuration has no number */
};

/* times WORKLOAD bare, under strace -f -c and under muzzle learn (both
 * backends) and prints the section */
void report_learn(const char *muzzle, const char *workload, struct learn_result *r);
void target_learn(const struct learn_result *r, struct tally *t);

/* times muzzle run's start-up and prints the section; docker_compile_ns:
 * the profile's in-process compile time, to tell where the time goes */
void report_startup(const char *muzzle, const char *docker_profile, double docker_compile_ns);

#endif
