/*
 * cmd-replace-code.c - `draagvlak replace-code`: a household lost its
 * letter.  Its old code stops working, a new one is made, and the new
 * letter is printed on the spot; an answer given under the old code
 * stays counted, and the audit counts the replacement
 * (store/lifecycle.h).  The new code is never shown on the screen: it is
 * only on the letter.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "form.h"
#include "households.h"
#include "lifecycle.h"
#include "render.h"
#include "banned.h"

const char cmd_replace_code_help[] =
	"usage: draagvlak replace-code [-d FILE] --postcode PC --number N\n"
	"                              [--letter L] [--addition A]\n"
	"                              [--resident N]\n"
	"                              [-o DIR] [--by NAME]\n"
	"\n"
	"Give the household at that address a new code, for a lost letter:\n"
	"the old code stops working at once, and the new letter with its\n"
	"form is written into DIR (default: vervangen).  An answer already\n"
	"given under the old code stays counted.  The count record lists\n"
	"how many codes were replaced.  Refused after closing.\n"
	"\n"
	"  -d, --db FILE        the store (default: " CMD_DEFAULT_DB ")\n"
	"  -p, --postcode PC    the postcode, as 4849 AB or 4849AB\n"
	"  -n, --number N       the house number\n"
	"      --letter L       the house letter\n"
	"      --addition A     the addition\n"
	"      --resident N     which voter of 18+ at the address (with\n"
	"                       voting_unit: resident; default 1)\n"
	"  -o, --output DIR     where the letter goes\n"
	"      --by NAME        who replaced it, for the audit (default: cli)\n"
	"  -h, --help           show this help\n";

struct wanted {
	char postcode[8]; /* "4849 AB" */
	long number;
	const char *letter, *addition;
	long resident; /* the unit at the address: 1 unless voting_unit resident */
	long long id;
	struct render_households list;
	bool keep; /* second walk: collect the household */
};

static int find(const struct store_household *h, void *data)
{
	struct wanted *w = data;

	if (!h->street || strcasecmp(h->postcode, w->postcode) ||
	    h->number != w->number || strcasecmp(h->letter, w->letter) ||
	    strcasecmp(h->addition, w->addition) ||
	    (h->resident > 0 ? h->resident : 1) != w->resident)
		return 0;
	w->id = h->id;
	if (w->keep)
		render_households_add(&w->list, h);
	return 1;
}

/* "4849ab" -> "4849 AB"; false when it is not a Dutch postcode. */
static bool norm_postcode(const char *in, char out[8])
{
	size_t n = 0;

	for (; *in && n < 6; in++) {
		if (*in == ' ')
			continue;
		if (n < 4 ? (*in < '0' || *in > '9')
			  : !((*in >= 'a' && *in <= 'z') ||
			      (*in >= 'A' && *in <= 'Z')))
			return false;
		out[n < 4 ? n : n + 1] =
			(*in >= 'a' && *in <= 'z') ? *in - 'a' + 'A' : *in;
		n++;
	}
	if (n != 6 || *in)
		return false;
	out[4] = ' ';
	out[7] = '\0';
	return true;
}

int cmd_replace_code(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "postcode", required_argument, NULL, 'p' },
		{ "number", required_argument, NULL, 'n' },
		{ "letter", required_argument, NULL, 'L' },
		{ "addition", required_argument, NULL, 'A' },
		{ "resident", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *by = "cli", *pc = NULL;
	struct wanted w = { .letter = "", .addition = "", .resident = 1 };
	struct render_options ro = { .outdir = "vervangen" };
	struct render_stats stats = { 0 };
	struct strbuf err = STRBUF_INIT;
	char canon[SURVEY_TOKEN_SIZE], *end;
	struct store *st = NULL;
	struct survey *s = NULL;
	int c, rc, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:p:n:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'p': pc = optarg; break;
		case 'n':
			w.number = strtol(optarg, &end, 10);
			if (*end || w.number <= 0)
				return cmd_usage_error(
					"replace-code",
					"'%s' is not a house number", optarg);
			break;
		case 'L': w.letter = optarg; break;
		case 'A': w.addition = optarg; break;
		case 'r':
			w.resident = strtol(optarg, &end, 10);
			if (*end || w.resident <= 0)
				return cmd_usage_error(
					"replace-code",
					"'%s' is not a resident number",
					optarg);
			break;
		case 'o': ro.outdir = optarg; break;
		case 'b': by = optarg; break;
		case 'h': return cmd_print_help("replace-code");
		default:
			return cmd_usage_error("replace-code",
					       "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("replace-code", "too many arguments");
	if (!pc || !w.number)
		return cmd_usage_error("replace-code",
				       "--postcode and --number are needed");
	if (!norm_postcode(pc, w.postcode))
		return cmd_usage_error("replace-code",
				       "'%s' is not a postcode like 4849 AB",
				       pc);
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	if (store_households_each(st, NULL, find, &w, &err) < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	if (!w.id) {
		cmd_error("no household lives at %s %ld%s%s", w.postcode,
			  w.number, w.letter, w.addition);
		goto out;
	}
	rc = store_code_replace(st, w.id, by, canon, sizeof(canon), &err);
	if (rc == STORE_REFUSED) {
		cmd_error("the survey is closed: codes are no longer replaced");
		goto out;
	}
	if (rc != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	w.keep = true;
	w.id = 0;
	if (store_households_each(st, NULL, find, &w, &err) < 0 ||
	    render_forms(s, &w.list, &ro, &stats, &err) < 0) {
		cmd_error("the code was replaced, but the letter could not be "
			  "written: %s (write it with draagvlak render)",
			  err.buf);
		goto out;
	}
	printf("The old code of %s %ld%s%s no longer works; the new letter "
	       "is in %s/.\n",
	       w.postcode, w.number, w.letter, w.addition, ro.outdir);
	ret = CMD_OK;
out:
	render_households_release(&w.list);
	survey_free(s);
	store_free(st);
	render_cleanup();
	strbuf_release(&err);
	return ret;
}
