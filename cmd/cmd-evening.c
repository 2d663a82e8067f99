/*
 * cmd-evening.c - `draagvlak evening`: a copy of the survey for the
 * laptop of a community evening, and merging it home afterwards (see
 * store/evening.h and docs/evening.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "evening.h"
#include "banned.h"

const char cmd_evening_help[] =
	"usage: draagvlak evening copy [-d FILE] --out LAPTOP.db "
	"[--name NAME]\n"
	"       draagvlak evening merge [-d FILE] LAPTOP.db...\n"
	"\n"
	"copy   make a store for a laptop that serves the evening offline\n"
	"       (paper entry, scanning, the check-in desk at /balie): the\n"
	"       survey, the households and their codes, street, number and\n"
	"       place of each address (no postcode), and the volunteers'\n"
	"       accounts.  No answers, no board accounts, no sessions.\n"
	"       Keep the laptop locked: its codes are residents' keys.\n"
	"merge  bring laptop stores home: their answers count when the\n"
	"       household has none here, and otherwise wait for the board\n"
	"       (Verschillen); the check-in notes come along.  Merging again\n"
	"       changes nothing.\n"
	"\n"
	"  -d, --db FILE      the main store (default: " CMD_DEFAULT_DB ")\n"
	"  -o, --out FILE     the laptop's new store (copy)\n"
	"  -n, --name NAME    the laptop's name, as the board sees it\n"
	"                     (copy; default: the file's name)\n"
	"  -h, --help         show this help\n";

static int do_copy(const char *db, const char *out, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	struct store_evening_copied c;
	struct store *st = store_open(db, STORE_EXISTING, &err);
	int ret = CMD_FAIL;

	if (!st)
		goto out;
	switch (store_evening_copy(st, out, name, &c, &err)) {
	case STORE_OK: break;
	case STORE_EXISTS:
		strbuf_addf(&err, "%s exists already; name a new file", out);
		goto out;
	case STORE_INVALID:
		strbuf_addf(&err,
			    "'%s' cannot be a laptop's name: use 1 to %d "
			    "characters",
			    name, STORE_EVENING_NAME_MAX);
		goto out;
	default: goto out;
	}
	printf("Made %s for laptop '%s': %lld households (%lld with street "
	       "and number), %lld volunteer accounts.\n"
	       "Merge it back with: draagvlak evening merge -d %s %s\n",
	       out, name, c.households, c.addresses, c.volunteers, db, out);
	ret = CMD_OK;
out:
	if (ret != CMD_OK)
		cmd_error("%s", err.buf);
	store_free(st);
	strbuf_release(&err);
	return ret;
}

static int do_merge(const char *db, char **laptops, int n)
{
	struct strbuf err = STRBUF_INIT;
	struct store_evening_merged m;
	struct store *st;
	struct survey *s;
	int ret = CMD_OK;

	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	for (int i = 0; i < n; i++) {
		strbuf_reset(&err);
		if (store_evening_merge(st, s, laptops[i], &m, &err) !=
		    STORE_OK) {
			cmd_error("%s", err.buf);
			ret = CMD_FAIL;
			continue;
		}
		printf("%s (laptop '%s'):\n"
		       "  answers that count now:          %lld\n"
		       "  answers for the board (conflict): %lld\n"
		       "  paper entries carried:           %lld\n"
		       "  check-in notes carried:          %lld\n"
		       "  merged before, left as they are: %lld\n",
		       laptops[i], m.laptop_name, m.counted, m.conflicts,
		       m.entries, m.checkins, m.known);
		if (m.left)
			printf("  scanned forms still in review on the laptop: "
			       "%lld (finish them there and merge again)\n",
			       m.left);
	}
	survey_free(s);
	store_free(st);
	strbuf_release(&err);
	return ret;
}

int cmd_evening(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *out = NULL, *name = NULL, *action;
	int c;

	while ((c = getopt_long(argc, argv, "d:o:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': out = optarg; break;
		case 'n': name = optarg; break;
		case 'h': return cmd_print_help("evening");
		default: return cmd_usage_error("evening", "unknown option");
		}
	}
	if (optind >= argc)
		return cmd_usage_error("evening",
				       "say what to do: copy or merge");
	action = argv[optind];
	if (!strcmp(action, "copy")) {
		if (optind + 1 != argc)
			return cmd_usage_error("evening",
					       "copy takes --out, no files");
		if (!out)
			return cmd_usage_error("evening",
					       "copy needs --out LAPTOP.db");
		if (!name) {
			const char *slash = strrchr(out, '/');

			name = slash ? slash + 1 : out;
		}
		return do_copy(db, out, name);
	}
	if (!strcmp(action, "merge")) {
		if (optind + 1 >= argc)
			return cmd_usage_error("evening",
					       "merge takes the laptop stores");
		return do_merge(db, argv + optind + 1, argc - optind - 1);
	}
	return cmd_usage_error("evening", "there is no action '%s'", action);
}
