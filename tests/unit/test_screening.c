/* tests/unit/test_screening.c — core/csv (RFC 4180 and its refusals) and the screening name key, distance and match */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv_read.h"
#include "domain/screening_match.h"
#include "tests/unit/tap.h"

static int
records(const char *text, char out[8][4][64], size_t *nf, const char **why)
{
	struct arena *a = arena_new();
	char *f[CSV_MAX_FIELDS];
	struct csv c;
	size_t n, i;
	int r = 0;
	enum csv_rc rc;

	csv_init(&c, text, strlen(text));
	while ((rc = csv_next(&c, a, f, &n, why)) == CSV_RECORD && r < 8) {
		nf[r] = n;
		for (i = 0; i < n && i < 4; i++)
			snprintf(out[r][i], 64, "%s", f[i]);
		r++;
	}
	arena_free(a);
	return rc == CSV_ERROR ? -1 : r;
}

static void
test_csv(void)
{
	char out[8][4][64];
	size_t nf[8];
	const char *why = NULL;
	char big[CSV_MAX_FIELD + 8];

	is_int(records("name,birthDate\nAyse,1990-01-02\n", out, nf, &why), 2,
	    "header and one record");
	is_str(out[1][0], "Ayse", "a bare field");
	is_int(records("a,\"b,c\",\"d\"\"e\"\r\n\"multi\nline\",x", out, nf, &why),
	    2, "quoted fields, CRLF, no final line break");
	is_str(out[0][1], "b,c", "a comma inside quotes");
	is_str(out[0][2], "d\"e", "a doubled quote is one");
	is_str(out[1][0], "multi\nline", "a line break inside quotes");
	is_int(records("a,,c\n", out, nf, &why), 1, "an empty field");
	is_int((int)nf[0], 3, "counted");
	is_int(records("\n\na\n\n", out, nf, &why), 1, "empty lines skipped");
	is_int(records("", out, nf, &why), 0, "nothing: no record");
	ok(records("a\"b\n", out, nf, &why) == -1 && strstr(why, "quote") != NULL,
	    "a quote inside a bare field");
	ok(records("\"ab\"c\n", out, nf, &why) == -1 && strstr(why, "after") != NULL,
	    "text after a closing quote");
	ok(records("\"open\n", out, nf, &why) == -1 && strstr(why, "closed") != NULL,
	    "an unterminated quote");
	ok(records("a\rb\n", out, nf, &why) == -1, "a bare CR");
	ok(records("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\n", out, nf, &why) == -1 &&
	    strstr(why, "many") != NULL, "17 fields");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(records(big, out, nf, &why) == -1 && strstr(why, "long") != NULL,
	    "a field over the ceiling");
	{
		const char nul[] = "a\0b\n";
		struct arena *a = arena_new();
		char *f[CSV_MAX_FIELDS];
		struct csv c;
		size_t n;

		csv_init(&c, nul, sizeof(nul) - 1);
		is_int(csv_next(&c, a, f, &n, &why), CSV_ERROR, "a NUL byte");
		arena_free(a);
	}
}

static void
test_names(void)
{
	char k[NAME_KEY_MAX], k2[NAME_KEY_MAX];
	int d;

	ok(name_key("Ayşe Yılmaz", strlen("Ayşe Yılmaz"), k) > 0, "a Turkish name");
	is_str(k, "ayse yilmaz", "folded and lower-cased");
	name_key("YILMAZ, AYŞE", strlen("YILMAZ, AYŞE"), k2);
	is_str(k2, "ayse yilmaz", "upper case, surname first, comma: the same key");
	name_key("İsmail Çağlar Öztürk Ünal", strlen("İsmail Çağlar Öztürk Ünal"), k);
	is_str(k, "caglar ismail ozturk unal", "İ Ç ğ Ö ü folded, words sorted");
	name_key("Владимир Путин", strlen("Владимир Путин"), k);
	is_str(k, "Владимир Путин", "another script kept");
	is_int(name_key("---", 3, k), -1, "no letter");
	is_int(name_key("\xff\xfe", 2, k), -1, "not UTF-8");

	is_int(name_distance("ayse yilmaz", "ayse yilmaz", 3), 0, "same: 0");
	is_int(name_distance("ayse yilmaz", "aise yilmaz", 3), 1, "one substitution");
	is_int(name_distance("ayse yilmaz", "ayse yilmazz", 3), 1, "one insertion");
	is_int(name_distance("kitten", "sitting", 5), 3, "kitten/sitting: 3");
	is_int(name_distance("abcdef", "uvwxyz", 2), 3, "past max: max + 1");
	is_int(name_tolerance(4), 0, "up to 4 bytes: exact");
	is_int(name_tolerance(8), 1, "up to 8: one edit");
	is_int(name_tolerance(16), 2, "up to 16: two");
	is_int(name_tolerance(30), 3, "longer: three");
	ok(name_match("ayse yilmaz", "ayse yilmaz", &d) && d == 0, "equal keys match");
	ok(name_match("ayse yilmaz", "aysa yilmas", &d) && d == 2,
	    "two typos in eleven letters: a match");
	ok(!name_match("ayse yilmaz", "ahmet yilmaz", &d), "another first name: no match");
	ok(name_match("ali veli", "ali velu", &d) && d == 1, "eight bytes: one edit tolerated");
	ok(!name_match("ali veli", "alu velu", &d), "  but not two");
	ok(!name_match("bob", "rob", &d), "short names match exactly only");
}

int
main(void)
{
	test_csv();
	test_names();
	return done_testing();
}
