/* core/tmpl.h — templates: {{name}} substitution, HTML-escaped where asked, read from the templates directory */
#ifndef HZM_TMPL_H
#define HZM_TMPL_H

#include <stddef.h>

struct arena;
struct kv;

/* A template name: [a-z0-9_]+, at most 64 bytes. */
int	 tmpl_name_ok(const char *);
/*
 * templates/KIND/NAME.EXT (the directory is the setting "templates"),
 * whole, as a C string of valid UTF-8 of at most 64 KiB; NULL with why.
 */
char	*tmpl_read(struct arena *, const char *kind, const char *name,
	    const char *ext, char *why, size_t whysz);
/* Whether templates/KIND/NAME.EXT is there (a regular file). */
int	 tmpl_exists(struct arena *, const char *kind, const char *name,
	    const char *ext);
/*
 * Render text with vars; html != 0 escapes values. NULL (why says what)
 * on an unknown variable (or one whose value is NULL), on a "{{" not
 * followed by [a-zA-Z0-9_]+"}}", or when out of memory.
 */
char	*tmpl_expand(struct arena *, const char *text, const struct kv *vars,
	    size_t nvars, int html, char *why, size_t whysz);
/* tmpl_expand without the reason. */
char	*tmpl_render(struct arena *, const char *text, const struct kv *vars,
	    size_t nvars, int html);

#endif
