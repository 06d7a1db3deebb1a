/* tests/unit/tap.h — a minimal TAP producer for the C unit tests run by prove */
#ifndef HZM_TAP_H
#define HZM_TAP_H

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) tap_is_int((long long)(got), (long long)(want), \
    __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, \
    __VA_ARGS__)

static int __attribute__((unused, format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   Failed at %s line %d\n", file, line);
	}
	return pass;
}

static int __attribute__((unused, format(printf, 5, 6)))
tap_is_int(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   Failed at %s line %d\n#   got: %lld\n#   want: %lld\n",
		    file, line, got, want);
	}
	return pass;
}

static int __attribute__((unused, format(printf, 5, 6)))
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	int pass = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   Failed at %s line %d\n#   got: '%s'\n#   want: '%s'\n",
		    file, line, got ? got : "(null)", want ? want : "(null)");
	}
	return pass;
}

/* s[0..len) printable on one TAP line; one of two static buffers. */
static __attribute__((unused)) const char *
tap_esc(const char *s, size_t len)
{
	static char bufs[2][256];
	static int which;
	char *b = bufs[which ^= 1];
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < sizeof(bufs[0]); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			b[o++] = (char)c;
		else
			o += (size_t)snprintf(b + o, sizeof(bufs[0]) - o,
			    "\\x%02x", c);
	}
	b[o] = '\0';
	return b;
}

static void __attribute__((unused))
diag(const char *msg)
{
	printf("# %s\n", msg);
}

/* Plan printed at the end ("done_testing"): the count is only known then. */
static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
	return tap_failed != 0;
}

#endif
