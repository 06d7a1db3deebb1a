/* tests/unit/test_sms.c — core/sms: the message body, refusals, the file transport and a provider that fails */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/log.h"
#include "core/sms.h"
#include "core/util.h"
#include "tests/unit/tap.h"

static int
count_files(const char *dir, char *last, size_t lastsz)
{
	struct dirent *d;
	DIR *dp;
	int n = 0;

	if ((dp = opendir(dir)) == NULL)
		return -1;
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		n++;
		snprintf(last, lastsz, "%s/%s", dir, d->d_name);
	}
	closedir(dp);
	return n;
}

int
main(void)
{
	struct arena *a = arena_new();
	char dir[] = "/tmp/hzm-sms-unit.XXXXXX", tpl[1024], path[512], buf[1024];
	struct kv vars[] = { { "code", "123456" }, { "minutes", "15" } };
	struct json_object *o, *v;
	const char *body;
	FILE *f;
	size_t n;

	log_open("/dev/null", "test_sms");
	snprintf(tpl, sizeof(tpl), "%s/templates", getenv("HZM_ROOT") ?
	    getenv("HZM_ROOT") : ".");
	setenv("HZM_TEMPLATES", tpl, 1);
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! no temporary directory\n");
		return 1;
	}
	setenv("HZM_SMS_DIR", dir, 1);

	/* ---- the body both transports carry ---- */
	body = sms_body(a, "+905551234567", "hzm", "kod \"1\" / ş");
	o = json_tokener_parse(body);
	ok(o != NULL, "the body is JSON");
	ok(json_object_object_get_ex(o, "to", &v) &&
	    strcmp(json_object_get_string(v), "+905551234567") == 0, "to");
	ok(json_object_object_get_ex(o, "from", &v) &&
	    strcmp(json_object_get_string(v), "hzm") == 0, "from");
	ok(json_object_object_get_ex(o, "text", &v) &&
	    strcmp(json_object_get_string(v), "kod \"1\" / ş") == 0,
	    "text, quotes and UTF-8 kept");
	json_object_put(o);

	/* ---- refusals: nothing written ---- */
	setenv("HZM_SMS_TRANSPORT", "file", 1);
	is_int(sms_send(a, "05551234567", "verify_phone", vars, 2), -1,
	    "a number not in E.164");
	is_int(sms_send(a, "+90555\n1234567", "verify_phone", vars, 2), -1,
	    "a line break in the number");
	is_int(sms_send(a, "+905551234567", "../mail/verify_email", vars, 2), -1,
	    "a template name with a path");
	is_int(sms_send(a, "+905551234567", "verify_phone", vars, 1), -1,
	    "a variable missing");
	is_int(sms_send(a, "+905551234567", "no_such", vars, 2), -1,
	    "an unknown template");
	setenv("HZM_SMS_TRANSPORT", "smtp://127.0.0.1/", 1);
	is_int(sms_send(a, "+905551234567", "verify_phone", vars, 2), -1,
	    "an unknown transport");
	is_int(count_files(dir, path, sizeof(path)), 0, "no file written");

	/* ---- the file transport ---- */
	setenv("HZM_SMS_TRANSPORT", "file", 1);
	is_int(sms_send(a, "+905551234567", "verify_phone", vars, 2), 0,
	    "file transport");
	is_int(count_files(dir, path, sizeof(path)), 1, "one file");
	ok(strstr(path, ".json") != NULL, "named .json");
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = '\0';
		fclose(f);
	} else
		buf[0] = '\0';
	o = json_tokener_parse(buf);
	ok(o != NULL && json_object_object_get_ex(o, "text", &v) &&
	    strstr(json_object_get_string(v), "123456") != NULL &&
	    strchr(json_object_get_string(v), '\n') == NULL,
	    "the text carries the code, without the template's line break");
	json_object_put(o);
	unlink(path);

	/* ---- a provider that cannot be reached: -1, quickly ---- */
	setenv("HZM_SMS_TRANSPORT", "https://127.0.0.1:1/v1/messages", 1);
	setenv("HZM_SMS_TOKEN", "secret-token", 1);
	setenv("HZM_SMS_TIMEOUT_MS", "2000", 1);
	is_int(sms_send(a, "+905551234567", "verify_phone", vars, 2), -1,
	    "provider unreachable");
	is_int(count_files(dir, path, sizeof(path)), 0, "nothing written to files");

	rmdir(dir);
	arena_free(a);
	return done_testing();
}
