/*
 * harness.c - the server tests' store, server process and HTTP client
 * (see harness.h).
 */
#include "harness.h"

#include <curl/curl.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "addresses.h"
#include "definition.h"
#include "households.h"
#include "store.h"
#include "survey.h"
#include "xalloc.h"
#include "testutil.h"
#include "banned.h"

#define DORST_YAML SAMPLES_DIR "/dorst-speelveld/survey.yaml"
#define DORST_CSV  SAMPLES_DIR "/dorst-speelveld/addresses.csv"

/* The whole file (caller frees), or NULL. */
static char *read_text_file(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path) < 0)
		return NULL;
	return strbuf_detach(&sb, NULL);
}

static int collect(const struct store_household *hh, void *data)
{
	struct harness *h = data;

	h->codes = xrealloc(h->codes, (h->nr_codes + 1) * sizeof(*h->codes));
	h->households = xrealloc(h->households,
				 (h->nr_codes + 1) * sizeof(*h->households));
	memcpy(h->codes[h->nr_codes], hh->token, SURVEY_TOKEN_SIZE);
	h->households[h->nr_codes] = hh->id;
	h->nr_codes++;
	return 0;
}

int harness_make_store(struct harness *h, const char *from, const char *to)
{
	struct strbuf err = STRBUF_INIT, yaml = STRBUF_INIT;
	struct store *st = NULL;
	struct survey *s = NULL;
	struct survey_import_result res;
	struct diag_list dl;
	char *text = read_text_file(DORST_YAML);
	int ret = -1;

	memset(h, 0, sizeof(*h));
	snprintf(h->dir, sizeof(h->dir), "/tmp/draagvlak-test-srv-XXXXXX");
	if (!text || !mkdtemp(h->dir))
		goto out;
	snprintf(h->db, sizeof(h->db), "%s/store.db", h->dir);
	if (from && strstr(text, from)) {
		const char *at = strstr(text, from);

		strbuf_add(&yaml, text, (size_t)(at - text));
		strbuf_addstr(&yaml, to);
		strbuf_addstr(&yaml, at + strlen(from));
	} else {
		strbuf_addstr(&yaml, text);
	}
	diag_list_init(&dl, DORST_YAML);
	s = survey_load_buffer(DORST_YAML, yaml.buf, yaml.len, &dl);
	if (!s)
		diag_list_print(&dl, stderr);
	diag_list_release(&dl);
	if (!s)
		goto out;
	st = store_open(h->db, STORE_CREATE, &err);
	if (!st ||
	    store_definition_apply(st, s, yaml.buf, NULL, &err) != STORE_OK)
		goto out;
	diag_list_init(&dl, DORST_CSV);
	if (survey_households_import(st, s, DORST_CSV, false, &dl, &res) < 0) {
		diag_list_print(&dl, stderr);
		diag_list_release(&dl);
		goto out;
	}
	diag_list_release(&dl);
	if (store_households_each(st, NULL, collect, h, &err) < 0)
		goto out;
	ret = 0;
out:
	if (ret < 0)
		fprintf(stderr, "cannot make the test store: %s\n", err.buf);
	store_free(st);
	survey_free(s);
	free(text);
	strbuf_release(&yaml);
	strbuf_release(&err);
	return ret;
}

int harness_add_user(struct harness *h, const char *name, const char *role,
		     const char *password)
{
	struct strbuf cmd = STRBUF_INIT;
	FILE *p;
	int rc;

	strbuf_addf(&cmd, "'%s' user add --db '%s' --role %s %s >/dev/null",
		    DRAAGVLAK_BIN, h->db, role, name);
	p = popen(cmd.buf, "w");
	strbuf_release(&cmd);
	if (!p)
		return -1;
	fprintf(p, "%s\n", password);
	rc = pclose(p);
	return rc == 0 ? 0 : -1;
}

void harness_remove(struct harness *h)
{
	test_remove_tree(h->dir);
	free(h->codes);
	free(h->households);
	h->codes = NULL;
	h->households = NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int harness_serve(struct harness *h, struct served *s, ...)
{
	static int nr;
	char *argv[32];
	int argc = 0;
	va_list ap;
	const char *a;

	memset(s, 0, sizeof(*s));
	snprintf(s->port_file, sizeof(s->port_file), "%s/port-%d", h->dir,
		 nr++);
	unlink(s->port_file);
	argv[argc++] = (char *)DRAAGVLAK_BIN;
	argv[argc++] = (char *)"serve";
	argv[argc++] = (char *)"--port";
	argv[argc++] = (char *)"0";
	argv[argc++] = (char *)"--port-file";
	argv[argc++] = s->port_file;
	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) && argc < 29)
		argv[argc++] = (char *)a;
	va_end(ap);
	/* h's store, unless the arguments name a host's folder. */
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--data"))
			goto started;
	argv[argc++] = (char *)"--db";
	argv[argc++] = h->db;
started:
	argv[argc] = NULL;
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(s->port_file, "r");
		int status;

		if (f) {
			int got = fscanf(f, "%u", &s->port);

			fclose(f);
			if (got == 1 && s->port)
				return 0;
		}
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return -1;
		}
		sleep_ms(20);
	}
	return -1;
}

int harness_stop(struct served *s, int sig)
{
	int status;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	for (int i = 0; i < 1000; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		}
		sleep_ms(10);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	return -1;
}

static size_t collect_data(char *p, size_t size, size_t n, void *data)
{
	strbuf_add(data, p, size * n);
	return size * n;
}

int harness_http(struct served *s, const char *method, const char *path,
		 const char *body, const char *extra_header, struct reply *rep)
{
	struct strbuf url = STRBUF_INIT;
	struct curl_slist *hdrs = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	strbuf_init(&rep->headers, 0);
	strbuf_init(&rep->body, 0);
	rep->status = 0;
	if (!c)
		return -1;
	strbuf_addf(&url, "http://127.0.0.1:%u%s", s->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url.buf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &rep->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_data);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &rep->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (method && strcmp(method, body ? "POST" : "GET"))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	/* One header per line. */
	for (const char *h = extra_header, *nl; h && *h;
	     h = nl ? nl + 1 : NULL) {
		struct strbuf one = STRBUF_INIT;

		nl = strchr(h, '\n');
		strbuf_add(&one, h, nl ? (size_t)(nl - h) : strlen(h));
		hdrs = curl_slist_append(hdrs, one.buf);
		strbuf_release(&one);
	}
	if (hdrs)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rep->status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	strbuf_release(&url);
	return rc == CURLE_OK ? 0 : -1;
}

void reply_release(struct reply *rep)
{
	strbuf_release(&rep->headers);
	strbuf_release(&rep->body);
}

bool reply_header(const struct reply *rep, const char *name, char *out,
		  size_t size)
{
	size_t n = strlen(name);

	for (const char *p = rep->headers.buf; p && *p;) {
		const char *eol = strstr(p, "\r\n");
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > n + 1 && !strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			snprintf(out, size, "%.*s", (int)(p + len - v), v);
			return true;
		}
		p = eol ? eol + 2 : NULL;
	}
	return false;
}

bool reply_csrf(const struct reply *rep, char *out, size_t size)
{
	const char *p = strstr(rep->body.buf, "name=\"csrf\" value=\"");
	const char *end;

	if (!p)
		return false;
	p += strlen("name=\"csrf\" value=\"");
	end = strchr(p, '"');
	if (!end)
		return false;
	snprintf(out, size, "%.*s", (int)(end - p), p);
	return true;
}

long long harness_query_int(struct harness *h, const char *sql)
{
	struct strbuf cmd = STRBUF_INIT;
	long long v = -1;
	char line[64];
	FILE *p;

	/*
	 * The sqlite3 shell, read-only: an observer from outside the
	 * server and the data layer, as an auditor would look.
	 */
	strbuf_addf(&cmd, "sqlite3 -batch -readonly '%s' '", h->db);
	for (const char *c = sql; *c; c++)
		if (*c == '\'')
			strbuf_addstr(&cmd, "'\\''");
		else
			strbuf_addch(&cmd, *c);
	strbuf_addch(&cmd, '\'');
	p = popen(cmd.buf, "r");
	if (p && fgets(line, sizeof(line), p))
		v = strtoll(line, NULL, 10);
	if (p && pclose(p) != 0)
		v = -1;
	strbuf_release(&cmd);
	return v;
}
