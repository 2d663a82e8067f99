/*
 * draagvlak.c - main(): finds the subcommand and runs it.
 *
 * The table below is the one place a subcommand is registered.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "msg.h"
#include "strbuf.h"
#include "banned.h"

static int cmd_help(int argc, char **argv);

static const char cmd_help_help[] =
	"usage: draagvlak help [COMMAND]\n"
	"\n"
	"Without a command, list the commands; with one, explain it.\n";

static const struct cmd commands[] = {
	{ "check", cmd_check, "validate a survey definition", cmd_check_help },
	{ "init", cmd_init, "create or update the store from a definition",
	  cmd_init_help },
	{ "households", cmd_households,
	  "import, add and list households and their codes",
	  cmd_households_help },
	{ "render", cmd_render,
	  "write the printable forms, their layout files and posters",
	  cmd_render_help },
	{ "serve", cmd_serve, "serve the survey on the web", cmd_serve_help },
	{ "user", cmd_user, "add, list and remove volunteer and board accounts",
	  cmd_user_help },
	{ "host", cmd_host, "one server for the surveys of many organisations",
	  cmd_host_help },
	{ "analyse", cmd_analyse,
	  "is there draagvlak? verdicts per buurt and the decision",
	  cmd_analyse_help },
	{ "export", cmd_export,
	  "the answers as CSV or JSON, without addresses or codes",
	  cmd_export_help },
	{ "scan", cmd_scan, "read scanned paper forms into the store",
	  cmd_scan_help },
	{ "backup", cmd_backup,
	  "copy the live store while the server keeps running",
	  cmd_backup_help },
	{ "restore", cmd_restore,
	  "check a copy and put it in place of the store", cmd_restore_help },
	{ "evening", cmd_evening,
	  "copy the survey to a laptop for a community evening, merge it back",
	  cmd_evening_help },
	{ "simulate", cmd_simulate,
	  "fill the store with simulated answers for a demo",
	  cmd_simulate_help },
	{ "replace-code", cmd_replace_code,
	  "a new code and letter for a household that lost its letter",
	  cmd_replace_code_help },
	{ "remind", cmd_remind,
	  "reminder letters with a fresh form for who has not answered",
	  cmd_remind_help },
	{ "close", cmd_close, "close the survey and keep its count",
	  cmd_close_help },
	{ "record", cmd_record,
	  "the count record (proces-verbaal) as a PDF to sign",
	  cmd_record_help },
	{ "verify", cmd_verify, "check the store against the count record",
	  cmd_verify_help },
	{ "publish", cmd_publish,
	  "the bundle for the website: answers, results, record",
	  cmd_publish_help },
	{ "archive", cmd_archive,
	  "after the retention date, destroy addresses, codes and scans",
	  cmd_archive_help },
	{ "privacy", cmd_privacy,
	  "the privacy statement (privacyverklaring) of the survey",
	  cmd_privacy_help },
	{ "help", cmd_help, "explain a command", cmd_help_help },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void list_commands(FILE *out)
{
	fputs("usage: draagvlak COMMAND [OPTIONS] [ARGS]\n"
	      "\n"
	      "Measure draagvlak: support for a plan among the households of\n"
	      "each buurt, against the thresholds agreed with its residents.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\n'draagvlak help COMMAND' or 'draagvlak COMMAND --help' "
	      "explains a command.\n",
	      out);
}

int cmd_print_help(const char *name)
{
	const struct cmd *c = cmd_find(name);

	fputs(c->help, stdout);
	return CMD_OK;
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		list_commands(stdout);
		return CMD_OK;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cmd_print_help("help");
	if (!cmd_find(argv[1]))
		return cmd_usage_error("help", "there is no command '%s'",
				       argv[1]);
	return cmd_print_help(argv[1]);
}

void cmd_error(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	fprintf(stderr, "draagvlak: %s\n", sb.buf);
	strbuf_release(&sb);
}

int cmd_usage_error(const char *name, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	fprintf(stderr, "draagvlak %s: %s\n", name, sb.buf);
	fprintf(stderr, "See 'draagvlak %s --help'.\n", name);
	strbuf_release(&sb);
	return CMD_USAGE;
}

int cmd_open_survey(const char *path, struct store **st, struct survey **s)
{
	struct strbuf err = STRBUF_INIT;

	*s = NULL;
	*st = store_open(path, STORE_EXISTING, &err);
	if (*st)
		*s = store_definition_load(*st, &err);
	if (!*s) {
		cmd_error("%s", err.buf);
		store_free(*st);
		*st = NULL;
	}
	strbuf_release(&err);
	return *s ? 0 : -1;
}

int cmd_write_file(const char *path, const void *data, size_t len,
		   struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *f;
	int ret = -1;

	strbuf_addf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	f = fopen(tmp.buf, "wb");
	if (!f) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		fclose(f);
		unlink(tmp.buf);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp.buf, path) != 0) {
		strbuf_addf(err, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp.buf);
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&tmp);
	return ret;
}

/*
 * Languages beyond Dutch and English: a catalogue file each (msg.h), in
 * $DRAAGVLAK_MESSAGES or else the installed folder, when there is one.
 */
static int load_languages(void)
{
	const char *dir = getenv("DRAAGVLAK_MESSAGES");
	struct strbuf warn = STRBUF_INIT, err = STRBUF_INIT;
	int ret = 0;

	if (!dir || !*dir) {
		dir = DRAAGVLAK_MESSAGES_DIR;
		if (access(dir, R_OK) != 0)
			return 0;
	}
	if (msg_load_dir(dir, &warn, &err) < 0) {
		cmd_error("%s", err.buf);
		ret = -1;
	}
	if (warn.len)
		fputs(warn.buf, stderr);
	strbuf_release(&warn);
	strbuf_release(&err);
	return ret;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	int ret;

	if (argc < 2) {
		list_commands(stderr);
		return CMD_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		list_commands(stdout);
		return CMD_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("draagvlak " DRAAGVLAK_VERSION);
		return CMD_OK;
	}
	c = cmd_find(argv[1]);
	if (!c) {
		cmd_error("there is no command '%s'; see 'draagvlak help'",
			  argv[1]);
		return CMD_USAGE;
	}
	if (load_languages() < 0)
		return CMD_FAIL;
	ret = c->run(argc - 1, argv + 1);
	msg_unload();
	return ret;
}
