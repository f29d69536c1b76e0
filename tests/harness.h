/* A small test harness: each test binary runs cases; each case passes when
 * none of its checks failed.  Output is one line per case ("ok NAME",
 * "FAIL NAME: why", "SKIP NAME: why") which tests/run.sh counts. */
#ifndef MUZZLE_HARNESS_H
#define MUZZLE_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct t_state {
	const char *name;
	int failed;
	int passed_cases, failed_cases, skipped_cases;
};

static struct t_state t_st;

static inline void t_begin(const char *name)
{
	t_st.name = name;
	t_st.failed = 0;
}

static inline void t_end(void)
{
	if (!t_st.name)
		return;
	if (t_st.failed) {
		t_st.failed_cases++;
	} else {
		printf("ok %s\n", t_st.name);
		t_st.passed_cases++;
	}
	t_st.name = NULL;
	fflush(stdout);
}

static inline void t_skip(const char *name, const char *why)
{
	printf("SKIP %s: %s\n", name, why);
	t_st.skipped_cases++;
	fflush(stdout);
}

__attribute__((format(printf, 4, 5)))
static inline int t_check_at(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return 1;
	printf("FAIL %s: %s:%d: ", t_st.name ? t_st.name : "(no case)", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	t_st.failed++;
	return 0;
}

#define T_CHECK(cond, ...) t_check_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* Each operand is evaluated once, so T_EQ_I(read(...), 0) reads once. */
#define T_EQ_U(a, b) do { \
	unsigned long long t_a_ = (unsigned long long)(a), t_b_ = (unsigned long long)(b); \
	T_CHECK(t_a_ == t_b_, "%s == %s: got 0x%llx, want 0x%llx", #a, #b, t_a_, t_b_); \
} while (0)
#define T_EQ_I(a, b) do { \
	long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
	T_CHECK(t_a_ == t_b_, "%s == %s: got %lld, want %lld", #a, #b, t_a_, t_b_); \
} while (0)
#define T_EQ_S(a, b) do { \
	const char *t_a_ = (a), *t_b_ = (b); \
	T_CHECK(t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0, "%s == %s: got \"%s\", want \"%s\"", \
		#a, #b, t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); \
} while (0)

/* Call at the end of main: prints a summary line and returns the exit code. */
static inline int t_done(void)
{
	t_end();
	printf("# %d passed, %d failed, %d skipped\n", t_st.passed_cases,
	       t_st.failed_cases, t_st.skipped_cases);
	return t_st.failed_cases ? 1 : 0;
}

#endif
