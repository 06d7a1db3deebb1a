/* core/tmpl.c — templates: {{name}} substitution, HTML-escaped where asked, read from the templates directory */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/http.h"
#include "core/tmpl.h"
#include "core/util.h"

#define TMPL_NAME_MAX	64		/* bytes of a template name */
#define TMPL_FILE_MAX	(64 * 1024)	/* bytes of one template file */

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * Template names become file names: [a-z0-9_]+ keeps "../" and every
 * other path trick out.
 */
int
tmpl_name_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= TMPL_NAME_MAX || !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i > 0;
}

static const struct kv *
var_find(const struct kv *vars, size_t nvars, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (vars[i].key != NULL && vars[i].val != NULL &&
		    strncmp(vars[i].key, name, len) == 0 &&
		    vars[i].key[len] == '\0')
			return &vars[i];
	return NULL;
}

static void
put_html(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *ent;

		switch (*s) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_puts(b, ent);
		run = s + 1;
	}
	buf_puts(b, run);
}

/*
 * The renderer proper; why receives the reason of a failure (it names the
 * variable, never a value). Values are inserted once and never rescanned,
 * so a value holding "{{x}}" stays literal text.
 */
char *
tmpl_expand(struct arena *a, const char *text, const struct kv *vars,
    size_t nvars, int html, char *why, size_t whysz)
{
	struct buf b = { 0 };
	const struct kv *v;
	const char *p = text, *open, *name, *end;
	size_t len;

	while ((open = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(open - p));
		name = open + 2;
		for (end = name; is_name_char(*end); end++)
			;
		len = (size_t)(end - name);
		if (len == 0 || end[0] != '}' || end[1] != '}') {
			snprintf(why, whysz, "malformed {{ at byte %zu",
			    (size_t)(open - text));
			goto fail;
		}
		if ((v = var_find(vars, nvars, name, len)) == NULL) {
			snprintf(why, whysz, "unknown variable %.*s",
			    (int)(len > 64 ? 64 : len), name);
			goto fail;
		}
		if (html)
			put_html(&b, v->val);
		else
			buf_puts(&b, v->val);
		p = end + 2;
	}
	buf_puts(&b, p);
	if (b.err)
		snprintf(why, whysz, "out of memory");
	return buf_finish(&b, a);
fail:
	buf_release(&b);
	return NULL;
}

char *
tmpl_render(struct arena *a, const char *text, const struct kv *vars,
    size_t nvars, int html)
{
	char why[128];

	if (text == NULL)
		return NULL;
	return tmpl_expand(a, text, vars, nvars, html, why, sizeof(why));
}

int
tmpl_exists(struct arena *a, const char *kind, const char *name,
    const char *ext)
{
	const char *dir = cfg_get("templates", "templates");
	struct stat st;
	char *path;

	return (path = arena_printf(a, "%s/%s/%s.%s", dir, kind, name,
	    ext)) != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
tmpl_read(struct arena *a, const char *kind, const char *name,
    const char *ext, char *why, size_t whysz)
{
	const char *dir = cfg_get("templates", "templates");
	struct stat st;
	char *path, *text = NULL;
	size_t len = 0;
	ssize_t n;
	int fd = -1;

	if ((path = arena_printf(a, "%s/%s/%s.%s", dir, kind, name, ext)) ==
	    NULL) {
		snprintf(why, whysz, "out of memory");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(why, whysz, "%s.%s: %s", name, ext, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > TMPL_FILE_MAX) {
		snprintf(why, whysz, "%s.%s: not a file or too large", name,
		    ext);
		goto out;
	}
	if ((text = arena_alloc(a, (size_t)st.st_size + 1)) == NULL) {
		snprintf(why, whysz, "out of memory");
		goto out;
	}
	/* Read what fstat promised, no more: a growing file is cut short. */
	while (len < (size_t)st.st_size) {
		n = read(fd, text + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(why, whysz, "%s.%s: %s", name, ext,
			    strerror(errno));
			text = NULL;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	text[len] = '\0';
	if (!util_utf8_valid(text, len)) {
		snprintf(why, whysz, "%s.%s: not UTF-8", name, ext);
		text = NULL;
	}
out:
	if (fd != -1)
		close(fd);
	return text;
}
