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

#include "session.h"
#include "store.h"
#include "banned.h"

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	sqlite3_stmt *key, *codes;
	unsigned char k[32];
	struct server_csrf_key ck;
	char tok[SERVER_TOKEN_HEX];

	if (argc != 2) {
		fputs("usage: tokens STORE > data.lua\n", stderr);
		return 2;
	}
	st = store_open(argv[1], STORE_EXISTING, &err);
	if (!st) {
		fprintf(stderr, "tokens: %s\n", err.buf);
		return 1;
	}
	key = survey_store_prepare(
		st, "SELECT value FROM server_key WHERE name = 'csrf'", &err);
	if (!key || sqlite3_step(key) != SQLITE_ROW ||
	    sqlite3_column_bytes(key, 0) != 32) {
		fputs("tokens: no server key yet; start the server once\n",
		      stderr);
		return 1;
	}
	memcpy(k, sqlite3_column_blob(key, 0), 32);
	sqlite3_finalize(key);
	server_csrf_key_init(&ck, k);
	codes = survey_store_prepare(st,
				     "SELECT code FROM token ORDER BY "
				     "household_id",
				     &err);
	if (!codes)
		return 1;
	puts("return {");
	while (sqlite3_step(codes) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(codes, 0);

		server_csrf_resident(&ck, c, tok);
		printf("{\"%s\",\"%s\"},\n", c, tok);
	}
	puts("}");
	sqlite3_finalize(codes);
	store_free(st);
	return 0;
}
