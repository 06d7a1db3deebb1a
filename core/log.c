/* core/log.c — JSON log lines, each written with one write(2) on an O_APPEND file */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/http.h"
#include "core/log.h"
#include "core/util.h"

static int		 logfd = STDERR_FILENO;
static const char	*logprog = "hzm";

const char *
log_program(void)
{
	return logprog;
}

int
log_open(const char *path, const char *program)
{
	int fd;

	logprog = program;
	if (path == NULL || strcmp(path, "-") == 0 || *path == '\0')
		return 0;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640)) == -1)
		return -1;
	logfd = fd;
	return 0;
}

static void
log_emit(struct json_object *o)
{
	const char *s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char line[8192];
	int n;

	n = snprintf(line, sizeof(line), "%s\n", s);
	if (n > 0 && (size_t)n < sizeof(line))
		(void)!write(logfd, line, (size_t)n);
	json_object_put(o);
}

static struct json_object *
log_start(const char *level)
{
	struct json_object *o = json_object_new_object();
	struct timespec ts;
	char t[ISO_TIME_LEN + 1];

	clock_gettime(CLOCK_REALTIME, &ts);
	util_iso_time(&ts, t);
	json_object_object_add(o, "ts", json_object_new_string(t));
	json_object_object_add(o, "level", json_object_new_string(level));
	json_object_object_add(o, "program", json_object_new_string(logprog));
	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	return o;
}

void
log_request(const struct req *r, int status, const char *handler)
{
	struct json_object *o = log_start("info");
	struct timespec end;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - r->mono.tv_sec) * 1e3 +
	    (double)(end.tv_nsec - r->mono.tv_nsec) / 1e6;
	json_object_object_add(o, "requestId",
	    json_object_new_string(r->request_id));
	json_object_object_add(o, "traceId",
	    json_object_new_string(r->trace_id));
	json_object_object_add(o, "method",
	    json_object_new_string(r->method ? r->method : ""));
	json_object_object_add(o, "path",
	    json_object_new_string(r->path ? r->path : ""));
	json_object_object_add(o, "status", json_object_new_int(status));
	{
		char txt[32];

		/* Three decimals as written, not the nearest double's digits. */
		snprintf(txt, sizeof(txt), "%.3f", ms);
		json_object_object_add(o, "durationMs",
		    json_object_new_double_s(ms, txt));
	}
	json_object_object_add(o, "handler", json_object_new_string(handler));
	if (r->remote_addr != NULL)
		json_object_object_add(o, "remote",
		    json_object_new_string(r->remote_addr));
	log_emit(o);
}

static void
log_msg(const char *level, const char *fmt, va_list ap)
{
	struct json_object *o = log_start(level);
	char msg[2048];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	json_object_object_add(o, "msg", json_object_new_string(msg));
	log_emit(o);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msg("error", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_msg("info", fmt, ap);
	va_end(ap);
}
