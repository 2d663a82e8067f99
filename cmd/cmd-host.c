/*
 * cmd-host.c - `draagvlak host`: set up one server for the surveys of
 * many organisations (store/host.h), served with `serve --data DIR`.
 *
 * DIR holds host.db (the organisations, which survey is whose, and every
 * account) and one store per survey, named after its slug.  Accounts are
 * added with `draagvlak user add --db DIR/host.db --org SLUG`, or an
 * organisation's first board member is invited with a one-time link
 * when the organisation is made.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "cmd.h"
#include "definition.h"
#include "host.h"
#include "households.h"
#include "invitations.h"
#include "banned.h"

/* As the web's invitations (server/team.h). */
#define INVITATION_DAYS 7

const char cmd_host_help[] =
	"usage: draagvlak host init --data DIR\n"
	"       draagvlak host org add --data DIR SLUG NAME [--board USER "
	"[--url URL]]\n"
	"       draagvlak host survey add --data DIR --org SLUG [--slug SLUG] "
	"SURVEY.yaml\n"
	"       draagvlak host survey add --data DIR --org SLUG [--slug SLUG] "
	"--from STORE\n"
	"       draagvlak host list --data DIR\n"
	"\n"
	"One server for the surveys of many organisations: serve them all\n"
	"with 'draagvlak serve --data DIR'.  Nothing of one organisation is\n"
	"shown to another.\n"
	"\n"
	"init        make DIR and its host store, DIR/host.db\n"
	"org add     add an organisation (a platform); with --board, invite\n"
	"            its first board member: prints a one-time link with\n"
	"            which they choose their own password (valid 7 days)\n"
	"survey add  create the store of SURVEY.yaml in DIR for organisation\n"
	"            --org (its slug: --slug, or the survey's id); then\n"
	"            import its addresses with 'draagvlak households import\n"
	"            --db DIR/SLUG.db' or in the board's pages; with --from,\n"
	"            a copy of an existing survey's store (made with the\n"
	"            online backup, so it may be in use), answers and all;\n"
	"            its accounts stay behind: the host's are in host.db;\n"
	"            refused when it holds a household code that another\n"
	"            survey of the host has (a code leads to one survey)\n"
	"list        the organisations and their surveys\n"
	"\n"
	"Accounts: 'draagvlak user add --db DIR/host.db --org SLUG NAME\n"
	"--role board|volunteer'; without --org, a board account is one of\n"
	"the host's administrators, who make organisations on /beheer.\n"
	"\n"
	"  -D, --data DIR    the host's folder\n"
	"      --org SLUG    the organisation (survey add)\n"
	"      --slug SLUG   the survey's slug (survey add)\n"
	"      --board USER  the first board member to invite (org add)\n"
	"      --from STORE  the survey store to copy in (survey add)\n"
	"      --url URL     where the server answers, for the link\n"
	"                    (default: http://127.0.0.1:8080)\n"
	"  -h, --help        show this help\n";

struct host_opts {
	const char *data, *org, *slug, *board, *url, *from;
};

/* DIR/host.db, opened; NULL with the reason said. */
static struct store *open_host(const char *data, struct strbuf *path)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;

	strbuf_addf(path, "%s/host.db", data);
	if (access(path->buf, F_OK) < 0) {
		cmd_error("%s is not a host's folder; make it with 'draagvlak "
			  "host init --data %s'",
			  data, data);
		return NULL;
	}
	st = store_open(path->buf, STORE_EXISTING, &err);
	if (st && !store_is_host(st)) {
		strbuf_addf(&err, "%s is not a host's store", path->buf);
		store_free(st);
		st = NULL;
	}
	if (!st)
		cmd_error("%s", err.buf);
	strbuf_release(&err);
	return st;
}

static int do_init(const struct host_opts *o)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct store *st = NULL;
	int ret = CMD_FAIL;

	/* Addresses and answers: for the server's user only. */
	if (mkdir(o->data, 0750) < 0 && errno != EEXIST) {
		strbuf_addf(&err, "cannot make %s: %s", o->data,
			    strerror(errno));
		goto out;
	}
	strbuf_addf(&path, "%s/host.db", o->data);
	st = store_open(path.buf, STORE_CREATE, &err);
	if (!st)
		goto out;
	switch (store_host_init(st, &err)) {
	case STORE_OK: break;
	case STORE_REFUSED:
		strbuf_addf(&err,
			    "%s holds a survey; a host's store holds none",
			    path.buf);
		goto out;
	default: goto out;
	}
	printf("Made the host store %s.\n"
	       "Next: 'draagvlak host org add --data %s SLUG NAME --board "
	       "USER'\n"
	       "and an administrator: 'draagvlak user add --db %s NAME "
	       "--role board'.\n",
	       path.buf, o->data, path.buf);
	ret = CMD_OK;
out:
	if (ret != CMD_OK)
		cmd_error("%s", err.buf);
	store_free(st);
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

/* The organisation and, with --board, its first board member's link. */
static int run_org_add(struct store *st, const struct host_opts *o,
		       const char *slug, const char *name,
		       char token[STORE_INVITATION_HEX], struct strbuf *err)
{
	int rc = store_begin(st, err);

	if (rc != STORE_OK)
		return rc;
	rc = store_host_org_add(st, slug, name, err);
	if (rc == STORE_OK && o->board)
		rc = store_invitation_create_in(
			st, o->board, STORE_ROLE_BOARD, "draagvlak host", slug,
			time(NULL) + INVITATION_DAYS * 24 * 3600, token, err);
	if (rc != STORE_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err);
}

static int do_org_add(const struct host_opts *o, const char *slug,
		      const char *name)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	char token[STORE_INVITATION_HEX] = "";
	struct store *st = open_host(o->data, &path);
	int ret = CMD_FAIL;

	if (!st)
		goto out;
	if (o->board && !store_account_name_valid(o->board)) {
		strbuf_addf(&err,
			    "'%s' cannot be an account name: use 1 to 40 "
			    "letters, digits, '.', '-' or '_'",
			    o->board);
		goto out;
	}
	switch (run_org_add(st, o, slug, name, token, &err)) {
	case STORE_OK: break;
	case STORE_INVALID:
		strbuf_addf(&err,
			    "'%s' cannot be a slug: use 1 to %d lower-case "
			    "letters, digits and '-'; and give a name",
			    slug, STORE_SLUG_MAX);
		goto out;
	case STORE_EXISTS:
		strbuf_addf(&err, "there is already an organisation '%s'%s",
			    slug,
			    o->board ? " or an account of that name" : "");
		goto out;
	default: goto out;
	}
	printf("Added the organisation %s (%s).\n", slug, name);
	if (o->board)
		printf("Send %s this link; it works once, for %d days, to "
		       "choose a password:\n  %s/uitnodiging/%s\n",
		       o->board, INVITATION_DAYS,
		       o->url ? o->url : "http://127.0.0.1:8080", token);
	ret = CMD_OK;
out:
	if (ret != CMD_OK && err.len)
		cmd_error("%s", err.buf);
	store_free(st);
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

struct clashes {
	const char *data, *self; /* the host's folder; the new file's name */
	struct store *st;	 /* the new store */
	long long total;
	struct strbuf which; /* "N codes with survey SLUG, ..." */
	struct strbuf *err;
};

static int count_clashes(const char *slug, const char *org, const char *file,
			 void *data)
{
	struct clashes *c = data;
	struct strbuf path = STRBUF_INIT;
	long long n = 0;
	int rc;

	(void)org;
	if (!strcmp(file, c->self))
		return 0;
	strbuf_addf(&path, "%s/%s", c->data, file);
	rc = store_codes_in_common(c->st, path.buf, &n, c->err);
	strbuf_release(&path);
	if (rc == STORE_NOT_FOUND)
		return 0; /* the server says so when it starts */
	if (rc != STORE_OK)
		return -1;
	if (n) {
		strbuf_addf(&c->which, "%s%lld %s with survey %s",
			    c->which.len ? ", " : "", n,
			    n == 1 ? "code" : "codes", slug);
		c->total += n;
	}
	return 0;
}

/*
 * Whether the new store st (file name in the host's folder) holds a
 * household code that a hosted survey has too: a code on the server
 * must lead to one survey.  STORE_OK; STORE_EXISTS with the sentence
 * in err; STORE_ERROR.
 */
static int check_codes(const struct host_opts *o, struct store *host,
		       struct store *st, const char *name, const char *db,
		       struct strbuf *err)
{
	struct clashes c = { o->data, name, st, 0, STRBUF_INIT, err };
	int rc = store_host_survey_each(host, NULL, count_clashes, &c, err);

	if (rc == STORE_OK && c.total) {
		strbuf_addf(err,
			    "%s holds %lld household %s that another survey "
			    "on this server has too (%s); a code must lead "
			    "to one survey, so nothing was added.  A copy of "
			    "a hosted survey cannot be hosted beside it: make "
			    "its store afresh (host survey add SURVEY.yaml, "
			    "then import the addresses), or, for a few "
			    "households, give them new codes with 'draagvlak "
			    "replace-code --db %s' and their new letters, "
			    "and add it again",
			    o->from ? o->from : db, c.total,
			    c.total == 1 ? "code" : "codes", c.which.buf,
			    o->from ? o->from : db);
		rc = STORE_EXISTS;
	} else if (rc != STORE_OK) {
		rc = STORE_ERROR;
	}
	strbuf_release(&c.which);
	return rc;
}

static int do_survey_add(const struct host_opts *o, const char *file)
{
	struct strbuf path = STRBUF_INIT, db = STRBUF_INIT, name = STRBUF_INIT,
		      err = STRBUF_INIT, yaml = STRBUF_INIT;
	struct store *host = open_host(o->data, &path), *st = NULL;
	struct store_changes changes;
	struct store_backup_info info;
	struct survey *s = NULL;
	struct diag_list dl;
	const char *slug = o->slug;
	char org_name[128];
	bool made = false;
	int ret = CMD_FAIL;

	diag_list_init(&dl, file ? file : o->from);
	if (!host)
		goto out;
	if (!o->org) {
		strbuf_addstr(&err, "say whose survey it is with --org SLUG");
		goto out;
	}
	if (store_host_org_name(host, o->org, org_name, sizeof(org_name),
				&err) != STORE_OK) {
		if (!err.len)
			strbuf_addf(&err,
				    "there is no organisation '%s'; see "
				    "'draagvlak host list'",
				    o->org);
		goto out;
	}
	if (o->from) {
		/* The copy's survey, checked before anything is made. */
		if (store_backup_check(o->from, &info, &err) != STORE_OK)
			goto out;
		if (!slug)
			slug = info.survey_id;
	} else {
		if (strbuf_read_file(&yaml, file) < 0)
			diag_error(&dl, 0, 0, "cannot open the file: %s",
				   strerror(errno));
		else
			s = survey_load_buffer(file, yaml.buf, yaml.len, &dl);
		diag_list_print(&dl, stderr);
		if (!s) {
			strbuf_addf(&err, "%s has %zu %s; nothing was changed",
				    file, dl.errors,
				    dl.errors == 1 ? "mistake" : "mistakes");
			goto out;
		}
		if (!slug)
			slug = s->id;
	}
	if (!store_host_slug_valid(slug)) {
		strbuf_addf(&err,
			    "'%s' cannot be a slug: use 1 to %d lower-case "
			    "letters, digits and '-' (--slug)",
			    slug, STORE_SLUG_MAX);
		goto out;
	}
	strbuf_addf(&name, "%s.db", slug);
	strbuf_addf(&db, "%s/%s", o->data, name.buf);
	if (access(db.buf, F_OK) == 0) {
		strbuf_addf(&err, "%s exists already; choose another --slug",
			    db.buf);
		goto out;
	}
	if (o->from) {
		made = true;
		if (store_backup(o->from, db.buf, NULL, &err) != STORE_OK)
			goto out;
		st = store_open(db.buf, STORE_EXISTING, &err);
		if (!st)
			goto out;
	} else {
		st = store_open(db.buf, STORE_CREATE, &err);
		made = st != NULL;
		if (!st || store_definition_apply(st, s, yaml.buf, &changes,
						  &err) != STORE_OK)
			goto out;
	}
	/* Codes are unique on the server: /f/CODE names no survey. */
	if (check_codes(o, host, st, name.buf, db.buf, &err) != STORE_OK)
		goto out;
	switch (store_host_survey_add(host, slug, o->org, name.buf, &err)) {
	case STORE_OK: break;
	case STORE_EXISTS:
		strbuf_addf(&err, "there is already a survey '%s'", slug);
		goto out;
	default: goto out;
	}
	printf("Added the survey %s of %s: %s.\n", slug, org_name, db.buf);
	if (!o->from)
		printf("Next: 'draagvlak households import --db %s "
		       "ADDRESSES.csv', or upload them in the board's pages.\n",
		       db.buf);
	ret = CMD_OK;
out:
	if (ret != CMD_OK) {
		if (err.len)
			cmd_error("%s", err.buf);
		/* Nothing half-made stays behind. */
		store_free(st);
		st = NULL;
		if (made) {
			unlink(db.buf);
			strbuf_addstr(&db, "-wal");
			unlink(db.buf);
			strbuf_setlen(&db, db.len - 4);
			strbuf_addstr(&db, "-shm");
			unlink(db.buf);
		}
	}
	store_free(st);
	store_free(host);
	survey_free(s);
	diag_list_release(&dl);
	strbuf_release(&path);
	strbuf_release(&db);
	strbuf_release(&name);
	strbuf_release(&err);
	strbuf_release(&yaml);
	return ret;
}

static int print_survey(const char *slug, const char *org, const char *file,
			void *data)
{
	(void)org;
	(void)data;
	printf("    %-30s %s\n", slug, file);
	return 0;
}

struct listing {
	struct store *st;
	struct strbuf *err;
};

static int print_org(const char *slug, const char *name, void *data)
{
	struct listing *l = data;

	printf("%s  %s\n", slug, name);
	return store_host_survey_each(l->st, slug, print_survey, NULL, l->err);
}

static int do_list(const struct host_opts *o)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct store *st = open_host(o->data, &path);
	struct listing l = { st, &err };
	int ret = CMD_FAIL;

	if (st && store_host_org_each(st, print_org, &l, &err) == STORE_OK)
		ret = CMD_OK;
	else if (err.len)
		cmd_error("%s", err.buf);
	store_free(st);
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

int cmd_host(int argc, char **argv)
{
	enum { OPT_ORG = 256, OPT_SLUG, OPT_BOARD, OPT_URL, OPT_FROM };
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'D' },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "slug", required_argument, NULL, OPT_SLUG },
		{ "board", required_argument, NULL, OPT_BOARD },
		{ "url", required_argument, NULL, OPT_URL },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct host_opts o = { 0 };
	const char *what, *sub;
	int c, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "D:h", opts, NULL)) != -1) {
		switch (c) {
		case 'D': o.data = optarg; break;
		case OPT_ORG: o.org = optarg; break;
		case OPT_SLUG: o.slug = optarg; break;
		case OPT_BOARD: o.board = optarg; break;
		case OPT_URL: o.url = optarg; break;
		case OPT_FROM: o.from = optarg; break;
		case 'h': return cmd_print_help("host");
		default: return cmd_usage_error("host", "unknown option");
		}
	}
	if (optind >= argc)
		return cmd_usage_error("host", "say init, org, survey or list");
	if (!o.data)
		return cmd_usage_error("host", "name the host's folder with "
					       "--data DIR");
	what = argv[optind++];
	sub = optind < argc ? argv[optind] : "";
	n = argc - optind;
	if (!strcmp(what, "init") && !n)
		return do_init(&o);
	if (!strcmp(what, "list") && !n)
		return do_list(&o);
	if (!strcmp(what, "org") && !strcmp(sub, "add") && n == 3)
		return do_org_add(&o, argv[optind + 1], argv[optind + 2]);
	if (!strcmp(what, "survey") && !strcmp(sub, "add") &&
	    n == (o.from ? 1 : 2))
		return do_survey_add(&o, o.from ? NULL : argv[optind + 1]);
	return cmd_usage_error("host",
			       "'%s' with these arguments is not something "
			       "host can do",
			       what);
}
