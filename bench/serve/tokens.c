/*
 * tokens.c - for the bench only: write every household's code with the
 * CSRF token its form carries, as a Lua table for wrk.
 *
 * The token is HMAC(server key, code) (server/session.h), so with the
 * store at hand the bench needs no GET per form.  It reads the key the
 * server keeps in the store; only someone who can read the store can do
 * this, and they could read the answers anyway.
 *
 * usage: tokens STORE [FROM] > data.lua
 *	with FROM, only the households numbered FROM and up (bench/backup
 *	adds the ones its load answers after a million that answered).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "households.h"
#include "session.h"
#include "store.h"
#include "banned.h"

struct tokens {
	struct server_csrf_key ck;
	long long from;
};

static int print_one(const char *code, long long household,
		     const char *buurt_id, void *data)
{
	const struct tokens *t = data;
	char tok[SERVER_TOKEN_HEX];

	(void)buurt_id;
	if (household < t->from)
		return 0;
	server_csrf_resident(&t->ck, code, tok);
	printf("{\"%s\",\"%s\"},\n", code, tok);
	return 0;
}

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct tokens t = { .from = 0 };
	unsigned char k[32];
	struct store *st;
	int rc;

	if (argc != 2 && argc != 3) {
		fputs("usage: tokens STORE [FROM] > data.lua\n", stderr);
		return 2;
	}
	if (argc == 3)
		t.from = atoll(argv[2]);
	st = store_open(argv[1], STORE_EXISTING, &err);
	if (!st || store_server_key(st, "csrf", k, &err) != STORE_OK) {
		fprintf(stderr, "tokens: %s\n", err.buf);
		store_free(st);
		return 1;
	}
	server_csrf_key_init(&t.ck, k);
	puts("return {");
	rc = store_codes_each(st, print_one, &t, &err);
	puts("}");
	store_free(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "tokens: %s\n", err.buf);
		return 1;
	}
	return 0;
}
