/*
 * cmd-households.c - `draagvlak households`: import address lists, add
 * numbered forms for community evenings, and list households with their
 * codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "addresses.h"
#include "households.h"
#include "msg.h"
#include "banned.h"

const char cmd_households_help[] =
	"usage: draagvlak households import [-d FILE] [--update] "
	"ADDRESSES.csv\n"
	"       draagvlak households add [-d FILE] --buurt ID --count N\n"
	"       draagvlak households list [-d FILE] [--buurt ID] [--format "
	"text|csv]\n"
	"       draagvlak households summary [-d FILE]\n"
	"\n"
	"import   read an address list (a BAG extract: openbareruimtenaam,\n"
	"         huisnummer, huisletter, huisnummertoevoeging, postcode,\n"
	"         woonplaatsnaam, buurtcode; separated by ; , or tab).  Every\n"
	"         problem is listed with its line; then nothing is imported.\n"
	"         With --update (a newer extract of the same list) addresses\n"
	"         already imported keep their codes and only new ones are "
	"added.\n"
	"add      create N households without an address in a buurt, for the\n"
	"         numbered forms of a community evening\n"
	"list     the households with their codes, in delivery order\n"
	"summary  households per buurt: imported, anonymous, and declared in\n"
	"         the definition\n"
	"\n"
	"  -d, --db FILE      the store (default: " CMD_DEFAULT_DB ")\n"
	"  -b, --buurt ID     only this buurt (list), or the buurt (add)\n"
	"  -n, --count N      how many forms (add)\n"
	"  -f, --format FMT   text (default) or csv (list)\n"
	"  -u, --update       keep addresses already imported (import)\n"
	"  -l, --lang LANG    language of the messages: nl (default) or en\n"
	"  -h, --help         show this help\n";

struct options {
	const char *db;
	const char *buurt;
	const char *format;
	long count;
	bool update;
	enum survey_lang lang;
};

static int do_import(struct options *o, const char *path)
{
	struct store *st;
	struct survey *s;
	struct survey_import_result res;
	struct diag_list dl;
	int ret = CMD_FAIL;

	if (cmd_open_survey(o->db, &st, &s) < 0)
		return CMD_FAIL;
	diag_list_init(&dl, path);
	if (survey_households_import_lang(st, s, path, o->update, o->lang, &dl,
					  &res) == 0) {
		struct strbuf m = STRBUF_INIT;
		char added[24], kept[24];

		diag_list_print(&dl, stderr);
		snprintf(added, sizeof(added), "%zu", res.added);
		snprintf(kept, sizeof(kept), "%zu", res.kept);
		if (o->update)
			msg_add(&m, o->lang, MSG_IMPORT_DONE_UPDATE, added,
				path, kept);
		else
			msg_add(&m, o->lang, MSG_IMPORT_DONE, added, path);
		if (res.from_windows_1252) {
			strbuf_addch(&m, ' ');
			msg_put(&m, o->lang, MSG_IMPORT_CP1252);
		}
		if (res.blank_rows) {
			snprintf(kept, sizeof(kept), "%zu", res.blank_rows);
			strbuf_addch(&m, ' ');
			msg_add(&m, o->lang, MSG_IMPORT_BLANK_ROWS, kept);
		}
		printf("%s\n", m.buf);
		strbuf_release(&m);
		ret = CMD_OK;
	} else {
		struct strbuf m = STRBUF_INIT;

		diag_list_print(&dl, stderr);
		msg_add(&m, o->lang, MSG_IMPORT_FAILED, path);
		cmd_error("%s", m.buf);
		strbuf_release(&m);
	}
	diag_list_release(&dl);
	survey_free(s);
	store_free(st);
	return ret;
}

static int do_add(struct options *o)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	struct survey *s;
	long long first = 0;
	int ret = CMD_FAIL;

	if (!o->buurt || o->count <= 0)
		return cmd_usage_error("households",
				       "add needs --buurt ID and --count N");
	if (cmd_open_survey(o->db, &st, &s) < 0)
		return CMD_FAIL;
	if (!survey_find_buurt(s, o->buurt)) {
		cmd_error("buurt '%s' is not one of the survey's buurten",
			  o->buurt);
	} else if (store_households_add_anonymous(st, o->buurt,
						  (unsigned)o->count, &first,
						  &err) == STORE_OK) {
		printf("Added %ld forms without an address to %s: numbers "
		       "%lld to %lld.\n",
		       o->count, o->buurt, first, first + o->count - 1);
		ret = CMD_OK;
	} else {
		cmd_error("%s", err.buf);
	}
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	return ret;
}

static void format_address(const struct store_household *h, struct strbuf *sb)
{
	if (!h->street) {
		strbuf_addf(sb, "formulier %lld (zonder adres)", h->form_no);
		return;
	}
	strbuf_addf(sb, "%s %ld%s%s%s, %s %s", h->street, h->number, h->letter,
		    *h->addition ? "-" : "", h->addition, h->postcode,
		    h->place);
	/* voting_unit resident: each voter of 18+ has a line of their own. */
	if (h->residents > 1)
		strbuf_addf(sb, " (bewoner %d van %d)", h->resident,
			    h->residents);
}

static int print_text(const struct store_household *h, void *data)
{
	struct strbuf sb = STRBUF_INIT;
	char pretty[SURVEY_TOKEN_PRETTY];

	(void)data;
	survey_token_pretty(h->token, pretty);
	format_address(h, &sb);
	printf("%-12s %s  %s\n", h->buurt_id, pretty, sb.buf);
	strbuf_release(&sb);
	return 0;
}

static int print_csv(const struct store_household *h, void *data)
{
	const struct survey *s = data;
	struct strbuf sb = STRBUF_INIT;
	char pretty[SURVEY_TOKEN_PRETTY];
	char num[24] = "", form[24] = "";

	survey_token_pretty(h->token, pretty);
	if (h->street)
		snprintf(num, sizeof(num), "%ld", h->number);
	else
		snprintf(form, sizeof(form), "%lld", h->form_no);
	strbuf_add_csv(&sb, h->buurt_id, ',');
	strbuf_addf(&sb, ",%s,%s,", pretty, form);
	strbuf_add_csv(&sb, h->street ? h->street : "", ',');
	strbuf_addf(&sb, ",%s,", num);
	strbuf_add_csv(&sb, h->street ? h->letter : "", ',');
	strbuf_addch(&sb, ',');
	strbuf_add_csv(&sb, h->street ? h->addition : "", ',');
	strbuf_addch(&sb, ',');
	strbuf_add_csv(&sb, h->street ? h->postcode : "", ',');
	strbuf_addch(&sb, ',');
	strbuf_add_csv(&sb, h->street ? h->place : "", ',');
	/* voting_unit resident: which voter of the address, of how many. */
	if (s->voting_unit == SURVEY_UNIT_RESIDENT)
		strbuf_addf(&sb, ",%d,%d", h->street ? h->resident : 0,
			    h->street ? h->residents : 0);
	strbuf_addstr(&sb, "\r\n");
	fputs(sb.buf, stdout);
	strbuf_release(&sb);
	return 0;
}

static int do_list(struct options *o)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	struct survey *s;
	bool csv = o->format && !strcmp(o->format, "csv");
	int ret = CMD_OK;

	if (o->format && !csv && strcmp(o->format, "text"))
		return cmd_usage_error("households",
				       "format '%s' is not text or csv",
				       o->format);
	if (cmd_open_survey(o->db, &st, &s) < 0)
		return CMD_FAIL;
	if (o->buurt && !survey_find_buurt(s, o->buurt)) {
		cmd_error("buurt '%s' is not one of the survey's buurten",
			  o->buurt);
		ret = CMD_FAIL;
		goto out;
	}
	if (csv)
		fputs(s->voting_unit == SURVEY_UNIT_RESIDENT
			      ? "buurt,code,form,street,number,letter,addition,"
				"postcode,place,resident,residents\r\n"
			      : "buurt,code,form,street,number,letter,addition,"
				"postcode,place\r\n",
		      stdout);
	if (store_households_each(st, o->buurt, csv ? print_csv : print_text, s,
				  &err) < 0) {
		cmd_error("%s", err.buf);
		ret = CMD_FAIL;
	}
out:
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	return ret;
}

static int count_kind(const struct store_household *h, void *data)
{
	long long *n = data;

	n[h->street ? 0 : 1]++;
	return 0;
}

static int do_summary(struct options *o)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st;
	struct survey *s;
	const char *differs = msg_get(o->lang, MSG_IMPORT_DIFFERS);
	bool any_differs = false;
	int ret = CMD_OK;

	if (cmd_open_survey(o->db, &st, &s) < 0)
		return CMD_FAIL;
	printf("%-12s %-24s %9s %9s %9s\n", "buurt", "naam", "adressen",
	       "zonder", "definitie");
	for (size_t i = 0; i < s->nr_buurten; i++) {
		const struct survey_buurt *b = &s->buurten[i];
		long long n[2] = { 0, 0 };

		if (store_households_each(st, b->id, count_kind, n, &err) < 0) {
			cmd_error("%s", err.buf);
			ret = CMD_FAIL;
			break;
		}
		if (n[0] && n[0] != b->households)
			any_differs = true;
		printf("%-12s %-24s %9lld %9lld %9u%s%s\n", b->id, b->name,
		       n[0], n[1], b->households,
		       n[0] && n[0] != b->households ? "  " : "",
		       n[0] && n[0] != b->households ? differs : "");
	}
	/* Say what "(anders)" means and whether to act on it. */
	if (any_differs && ret == CMD_OK)
		printf("\n%s\n", msg_get(o->lang, MSG_IMPORT_DIFFERS_NOTE));
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	return ret;
}

int cmd_households(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "buurt", required_argument, NULL, 'b' },
		{ "count", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "update", no_argument, NULL, 'u' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .db = CMD_DEFAULT_DB, .lang = SURVEY_NL };
	const char *action;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "d:b:n:f:ul:h", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'd': o.db = optarg; break;
		case 'b': o.buurt = optarg; break;
		case 'n':
			errno = 0;
			o.count = strtol(optarg, &end, 10);
			if (errno || *end || o.count <= 0 || o.count > 100000)
				return cmd_usage_error(
					"households",
					"--count must be a number from 1 to "
					"100000, not '%s'",
					optarg);
			break;
		case 'f': o.format = optarg; break;
		case 'u': o.update = true; break;
		case 'l':
			if (survey_lang_parse(optarg, &o.lang) < 0)
				return cmd_usage_error(
					"households",
					"language '%s' is not nl or en",
					optarg);
			break;
		case 'h': return cmd_print_help("households");
		default: return cmd_usage_error("households", "unknown option");
		}
	}
	if (optind >= argc)
		return cmd_usage_error("households",
				       "say what to do: import, add, list or "
				       "summary");
	action = argv[optind];
	if (!strcmp(action, "import")) {
		if (optind + 2 != argc)
			return cmd_usage_error("households",
					       "import takes one CSV file");
		return do_import(&o, argv[optind + 1]);
	}
	if (optind + 1 != argc)
		return cmd_usage_error("households", "too many arguments");
	if (!strcmp(action, "add"))
		return do_add(&o);
	if (!strcmp(action, "list"))
		return do_list(&o);
	if (!strcmp(action, "summary"))
		return do_summary(&o);
	return cmd_usage_error("households", "there is no action '%s'", action);
}
