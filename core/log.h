/* core/log.h — one JSON line per request, and errors, to the configured log */
#ifndef HZM_LOG_H
#define HZM_LOG_H

struct req;

int	log_open(const char *path, const char *program);
void	log_request(const struct req *, int status, const char *handler);
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The program's name as log_open() was given it ("hzm" before). */
const char *log_program(void);

#endif
