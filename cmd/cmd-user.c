/*
 * cmd-user.c - `draagvlak user`: the accounts of volunteers and board
 * members who log in to `draagvlak serve` (see server/accounts.h).
 *
 * A password is read from the terminal without echo, twice; when stdin is
 * not a terminal, one line is read from it, so that scripts can pipe it
 * in.  It never appears on the command line, where `ps` would show it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "accounts.h"
#include "cmd.h"
#include "host.h"
#include "banned.h"

const char cmd_user_help[] =
	"usage: draagvlak user add [-d FILE] NAME --role volunteer|board "
	"[--org SLUG]\n"
	"       draagvlak user list [-d FILE]\n"
	"       draagvlak user remove [-d FILE] NAME\n"
	"\n"
	"add     create an account; the password is asked for twice without\n"
	"        echo, or read as one line from stdin when that is not a\n"
	"        terminal (at least 10 characters).  Volunteers enter paper\n"
	"        forms; board members also settle double entries.\n"
	"list    the accounts with their roles\n"
	"remove  delete an account (whoever is logged in with it is logged\n"
	"        out at the next restart of the server)\n"
	"\n"
	"  -d, --db FILE      the store (default: " CMD_DEFAULT_DB ")\n"
	"  -r, --role ROLE    volunteer or board (add)\n"
	"      --org SLUG     in a host's store (DIR/host.db, see 'draagvlak\n"
	"                     host'): the organisation the account is of;\n"
	"                     without it, a board account there is one of\n"
	"                     the host's administrators\n"
	"  -h, --help         show this help\n";

/* One line from f without its newline, or NULL. */
static char *read_line(FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	int ch;

	while ((ch = fgetc(f)) != EOF && ch != '\n')
		strbuf_addch(&sb, ch);
	if (ch == EOF && !sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	if (sb.len && sb.buf[sb.len - 1] == '\r')
		strbuf_setlen(&sb, sb.len - 1);
	return strbuf_detach(&sb, NULL);
}

static char *ask_password(const char *prompt)
{
	struct termios old, quiet;
	char *pw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old) != 0)
		return read_line(stdin);
	fputs(prompt, stderr);
	fflush(stderr);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	pw = read_line(stdin);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return pw;
}

static void free_password(char *pw)
{
	if (pw)
		sodium_memzero(pw, strlen(pw));
	free(pw);
}

static int do_add(const char *db, const char *name, const char *role_name,
		  const char *org)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	enum store_role role;
	char *pw = NULL, *again = NULL;
	int ret = CMD_FAIL;

	if (!role_name || store_role_parse(role_name, &role) < 0)
		return cmd_usage_error("user",
				       "add needs --role volunteer or board");
	st = store_open(db, STORE_EXISTING, &err);
	if (!st)
		goto out;
	if (org && !store_is_host(st)) {
		strbuf_addf(
			&err,
			"%s is one survey's store, whose accounts belong to "
			"no organisation; --org is for a host's store",
			db);
		goto out;
	}
	pw = ask_password("Password: ");
	if (pw && isatty(STDIN_FILENO)) {
		again = ask_password("Password again: ");
		if (!again || strcmp(pw, again)) {
			strbuf_addstr(&err, "the passwords differ; nothing "
					    "was changed");
			goto out;
		}
	}
	if (!pw) {
		strbuf_addstr(&err, "no password given");
		goto out;
	}
	switch (store_account_add_in(st, name, role, org, pw, &err)) {
	case STORE_OK: break;
	case STORE_NOT_FOUND:
		strbuf_addf(
			&err,
			"there is no organisation '%s'; see 'draagvlak host "
			"list'",
			org);
		goto out;
	case STORE_INVALID:
		if (!store_account_name_valid(name))
			strbuf_addf(&err,
				    "'%s' cannot be an account name: use 1 to "
				    "40 letters, digits, '.', '-' or '_'",
				    name);
		else
			strbuf_addf(&err,
				    "a password needs at least %d characters",
				    STORE_MIN_PASSWORD);
		goto out;
	case STORE_EXISTS:
		strbuf_addf(&err, "there is already an account '%s'", name);
		goto out;
	default: goto out;
	}
	if (org)
		printf("Added %s '%s' of %s.\n", store_role_name(role), name,
		       org);
	else if (store_is_host(st))
		printf("Added '%s', an administrator of the host.\n", name);
	else
		printf("Added %s '%s'.\n", store_role_name(role), name);
	ret = CMD_OK;
out:
	if (ret != CMD_OK)
		cmd_error("%s", err.buf);
	free_password(pw);
	free_password(again);
	store_free(st);
	strbuf_release(&err);
	return ret;
}

static int print_account(const char *name, enum store_role role,
			 const char *created_at, void *data)
{
	(void)data;
	printf("%-24s %-10s %s\n", name, store_role_name(role), created_at);
	return 0;
}

static int do_list(const char *db)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st = store_open(db, STORE_EXISTING, &err);
	int ret = CMD_FAIL;

	if (st && store_account_each(st, NULL, print_account, NULL, &err) == 0)
		ret = CMD_OK;
	else
		cmd_error("%s", err.buf);
	store_free(st);
	strbuf_release(&err);
	return ret;
}

static int do_remove(const char *db, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st = store_open(db, STORE_EXISTING, &err);
	int ret = CMD_FAIL;

	int rc = st ? store_account_remove(st, name, &err) : STORE_ERROR;

	if (rc == STORE_OK) {
		printf("Removed '%s'.\n", name);
		ret = CMD_OK;
	} else if (rc == STORE_NOT_FOUND) {
		cmd_error("there is no account '%s'", name);
	} else {
		cmd_error("%s", err.buf);
	}
	store_free(st);
	strbuf_release(&err);
	return ret;
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "role", required_argument, NULL, 'r' },
		{ "org", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *role = NULL, *org = NULL, *action;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'r': role = optarg; break;
		case 'o': org = optarg; break;
		case 'h': return cmd_print_help("user");
		default: return cmd_usage_error("user", "unknown option");
		}
	}
	if (optind >= argc)
		return cmd_usage_error("user", "say add, list or remove");
	action = argv[optind++];
	if (!strcmp(action, "add") && argc - optind == 1)
		return do_add(db, argv[optind], role, org);
	if (!strcmp(action, "list") && argc == optind)
		return do_list(db);
	if (!strcmp(action, "remove") && argc - optind == 1)
		return do_remove(db, argv[optind]);
	return cmd_usage_error("user",
			       "'%s' with these arguments is not "
			       "something user can do",
			       action);
}
