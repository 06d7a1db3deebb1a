/* tests/unit/fixture_mail.h — what the mail tests share: a scratch mail dir, made-up templates and a log, files read back */
#ifndef HZM_FIXTURE_MAIL_H
#define HZM_FIXTURE_MAIL_H

/* Needs _GNU_SOURCE (nftw) defined before the first system header. */

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/log.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct arena	*A;
static char		 root[64];		/* everything this test writes */
static char		 maildir[128];		/* HZM_MAIL_DIR */
static char		 tpldir[128];		/* templates made up here */
static char		 logpath[128];
static char		 repo_tpl[1024];	/* the repository's templates */

static inline void __attribute__((format(printf, 1, 2)))
diagf(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Files */

/* A whole file, NUL-terminated, in the arena; NULL if unreadable. */
static inline char *
slurp(const char *path)
{
	char *s = NULL, *p;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((p = arena_alloc(A, cap)) == NULL) {
				close(fd);
				return NULL;
			}
			if (len > 0)
				memcpy(p, s, len);
			s = p;
		}
		if ((n = read(fd, s + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0)
		return NULL;
	s[len] = '\0';
	return s;
}

static inline int
spew(const char *path, const char *s)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fputs(s, f) == EOF ? -1 : 0;
	if (fclose(f) == EOF)
		rc = -1;
	return rc;
}

/* A made-up template in tpldir/mail. */
static inline void
put_tpl(const char *name, const char *subject, const char *txt,
    const char *html)
{
	const char *ext[] = { "subject", "txt", "html" };
	const char *body[] = { subject, txt, html };
	char path[512];
	size_t i;

	for (i = 0; i < NELEM(ext); i++) {
		snprintf(path, sizeof(path), "%s/mail/%s.%s", tpldir, name,
		    ext[i]);
		if (spew(path, body[i]) == -1)
			diagf("cannot write %s", path);
	}
}

static inline int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Names of the .eml files and of any other entries in dir. */
static inline int
scan_dir(const char *dir, char *eml, size_t emlsz, int *others)
{
	struct dirent *de;
	DIR *d;
	int n = 0;
	size_t len;

	*others = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		len = strlen(de->d_name);
		if (de->d_name[0] != '.' && len > 4 &&
		    strcmp(de->d_name + len - 4, ".eml") == 0) {
			if (n++ == 0 && eml != NULL)
				snprintf(eml, emlsz, "%s", de->d_name);
		} else
			(*others)++;
	}
	closedir(d);
	return n;
}

/*
 * The one message the last send left in maildir, removed from there so
 * the next check starts empty; NULL unless there was exactly one.
 */
static inline char *
take_one(char *name, size_t namesz)
{
	char path[512], first[256];
	int n, others;
	char *s;

	n = scan_dir(maildir, first, sizeof(first), &others);
	if (n != 1 || others != 0) {
		diagf("%d messages and %d other files in the mail dir", n,
		    others);
		nftw(maildir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		mkdir(maildir, 0700);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", maildir, first);
	s = slurp(path);
	unlink(path);
	if (name != NULL)
		snprintf(name, namesz, "%s", first);
	return s;
}

static inline int
mail_count(void)
{
	int others;

	return scan_dir(maildir, NULL, 0, &others) + others;
}

/*
 * A scratch directory for the mail dir, made-up templates and the log,
 * and the environment mail_send reads pointed at it: the file transport,
 * the default From, the repository's templates. -1 on failure.
 */
static inline int
fx_mail_open(const char *program)
{
	char cwd[512], dir[512];
	const char *base;

	if ((A = arena_new()) == NULL)
		return -1;
	snprintf(root, sizeof(root), "/tmp/hzm-test-mail.XXXXXX");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(maildir, sizeof(maildir), "%s/mail", root);
	snprintf(tpldir, sizeof(tpldir), "%s/tpl", root);
	snprintf(dir, sizeof(dir), "%s/mail", tpldir);
	snprintf(logpath, sizeof(logpath), "%s/hzm.log", root);
	if (mkdir(maildir, 0700) == -1 || mkdir(tpldir, 0700) == -1 ||
	    mkdir(dir, 0700) == -1) {
		perror("mkdir");
		return -1;
	}
	/* Tests run from the repository root unless HZM_ROOT says where. */
	if ((base = getenv("HZM_ROOT")) == NULL)
		base = getcwd(cwd, sizeof(cwd)) != NULL ? cwd : ".";
	snprintf(repo_tpl, sizeof(repo_tpl), "%s/templates", base);
	log_open(logpath, program);

	unsetenv("HZM_MAIL_USER");
	unsetenv("HZM_MAIL_PASSWORD");
	unsetenv("HZM_MAIL_FROM");
	setenv("HZM_MAIL_TRANSPORT", "file", 1);
	setenv("HZM_MAIL_DIR", maildir, 1);
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	return 0;
}

/*
 * What this program's log must never say: the secret value it mailed
 * (a code), or a recipient's local part (alice, bob).
 */
static inline void
fx_log_private(const char *secret)
{
	char *log = slurp(logpath);

	if (!ok(log != NULL, "log written"))
		return;
	ok(strstr(log, secret) == NULL, "no %s in the log", secret);
	ok(strstr(log, "alice") == NULL && strstr(log, "bob@") == NULL,
	    "no recipient local part in the log");
}

/* The scratch directory removed, the arena freed. */
static inline void
fx_mail_close(void)
{
	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	arena_free(A);
}

#endif
