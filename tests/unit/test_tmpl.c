/* tests/unit/test_tmpl.c — core/tmpl: {{name}} substitution, HTML escaping, malformed templates */
#include <stddef.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/tmpl.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct arena	*A;

static void
test_render(void)
{
	static const struct kv v[] = {
		{ "name", "Ada" },
		{ "code", "123456" },
		{ "x", "<a href=\"u\">'&'</a>" },
		{ "loop", "{{code}}" },
		{ "empty", "" },
		{ "nil", NULL },
	};
	static const char *bad[] = {
		"Hi {{name", "Hi {{name}", "Hi {{}}", "Hi {{ name }}",
		"Hi {{na-me}}", "Hi {{", "{{{name}}}", "Hi {{name}}{{",
	};
	char *s;
	size_t i;

	is_str(tmpl_render(A, "Hello {{name}}, code {{code}}.", v, NELEM(v),
	    0), "Hello Ada, code 123456.", "substitution");
	is_str(tmpl_render(A, "{{name}}{{code}}", v, NELEM(v), 0),
	    "Ada123456", "adjacent variables");
	is_str(tmpl_render(A, "no variables { } }} {x}", v, NELEM(v), 0),
	    "no variables { } }} {x}", "braces that are not {{...}} stay");
	is_str(tmpl_render(A, "", v, NELEM(v), 0), "", "empty text");
	is_str(tmpl_render(A, "[{{empty}}]", v, NELEM(v), 1), "[]",
	    "empty value");
	is_str(tmpl_render(A, "{{x}}", v, NELEM(v), 0), v[2].val,
	    "text: values as they are");
	is_str(tmpl_render(A, "<p>{{x}}</p>", v, NELEM(v), 1),
	    "<p>&lt;a href=&quot;u&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</p>",
	    "html: & < > \" ' escaped, the template's own markup kept");
	is_str(tmpl_render(A, "{{loop}}", v, NELEM(v), 0), "{{code}}",
	    "a value is not rendered again");
	ok(tmpl_render(A, "Hi {{nobody}}", v, NELEM(v), 0) == NULL,
	    "unknown variable: NULL");
	ok(tmpl_render(A, "Hi {{Name}}", v, NELEM(v), 0) == NULL,
	    "names are case-sensitive");
	ok(tmpl_render(A, "Hi {{nil}}", v, NELEM(v), 0) == NULL,
	    "a variable whose value is NULL counts as unknown");
	ok(tmpl_render(A, "Hi {{name}}", NULL, 0, 0) == NULL,
	    "no variables at all: NULL");
	for (i = 0; i < NELEM(bad); i++)
		ok(tmpl_render(A, bad[i], v, NELEM(v), 0) == NULL,
		    "malformed or unterminated {{: \"%s\" gives NULL", bad[i]);
	s = tmpl_render(A, "é {{name}} ✓", v, NELEM(v), 1);
	is_str(s, "é Ada ✓", "UTF-8 text passes through");
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	test_render();
	arena_free(A);
	return done_testing();
}
