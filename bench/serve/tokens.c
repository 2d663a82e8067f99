/*
 * tokens.c - for the bench only: write every household's code with the
 * CSRF token its form carries, as a Lua table for wrk.
 *
 * The token is HMAC(server key, code) (server/session.h), so with the
 * store at hand the bench needs no GET per form.  It reads the key the
 * server keeps in the store; only someone who can read the store can do
 * this, and they could read the answers anyway.
 *
 * usage: tokens STORE > data.lua
 */
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "households.h"
#include "session.h"
#include "store.h"
#include "banned.h"

static int print_one(const char *code, long long household,
		     const char *buurt_id, void *data)
{
	const struct server_csrf_key *ck = data;
	char tok[SERVER_TOKEN_HEX];

	(void)household;
	(void)buurt_id;
	server_csrf_resident(ck, code, tok);
	printf("{\"%s\",\"%s\"},\n", code, tok);
	return 0;
}

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct server_csrf_key ck;
	unsigned char k[32];
	struct store *st;
	int rc;

	if (argc != 2) {
		fputs("usage: tokens STORE > data.lua\n", stderr);
		return 2;
	}
	st = store_open(argv[1], STORE_EXISTING, &err);
	if (!st || store_server_key(st, "csrf", k, &err) != STORE_OK) {
		fprintf(stderr, "tokens: %s\n", err.buf);
		store_free(st);
		return 1;
	}
	server_csrf_key_init(&ck, k);
	puts("return {");
	rc = store_codes_each(st, print_one, &ck, &err);
	puts("}");
	store_free(st);
	if (rc != STORE_OK) {
		fprintf(stderr, "tokens: %s\n", err.buf);
		return 1;
	}
	return 0;
}
