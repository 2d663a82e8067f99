/*
 * cmd-simulate.c - `draagvlak simulate`: clearly labelled made-up
 * responses, so that the reports can be shown before anyone answered
 * (see analysis/simulate.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "simulate.h"
#include "banned.h"

const char cmd_simulate_help[] =
	"usage: draagvlak simulate [-d FILE] [--seed N] [--rate PCT]\n"
	"\n"
	"Fill the store with simulated responses (entered by \"simulatie\")\n"
	"for a random share of the households, with plausible answers to\n"
	"every question, to show the reports before the survey opens.  It\n"
	"refuses a store that holds real responses, and replaces simulated\n"
	"responses from an earlier run.\n"
	"\n"
	"  -d, --db FILE      the store (default: " CMD_DEFAULT_DB ")\n"
	"  -s, --seed N       the same seed gives the same answers (default "
	"1)\n"
	"  -r, --rate PCT     share of households that answer (default 45)\n"
	"  -h, --help         show this help\n";

int cmd_simulate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct analysis_sim_options o = { 1, 45 };
	struct analysis_sim_result res;
	struct strbuf err = STRBUF_INIT;
	const char *db = CMD_DEFAULT_DB;
	struct store *st;
	struct survey *s;
	unsigned long long v;
	char *end;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:s:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 's':
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-')
				return cmd_usage_error("simulate",
						       "--seed must be a whole "
						       "number, not '%s'",
						       optarg);
			o.seed = v;
			break;
		case 'r':
			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (*end == '%')
				end++;
			if (errno || *end || !*optarg || *optarg == '-' ||
			    v > 100)
				return cmd_usage_error(
					"simulate",
					"--rate must be a percentage from 0 to "
					"100, not '%s'",
					optarg);
			o.rate_pct = (unsigned)v;
			break;
		case 'h': return cmd_print_help("simulate");
		default: return cmd_usage_error("simulate", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("simulate", "too many arguments");
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	if (analysis_simulate(st, s, &o, &res, &err) < 0) {
		cmd_error("%s", err.buf);
	} else {
		if (res.replaced)
			printf("Removed %lld earlier simulated responses.\n",
			       res.replaced);
		printf("Simulated %lld responses from %lld households "
		       "(rate %u%%, seed %llu); the store marks them as "
		       "simulated, and every report says so.\n",
		       res.responses, res.households, o.rate_pct,
		       (unsigned long long)o.seed);
		ret = CMD_OK;
	}
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	return ret;
}
