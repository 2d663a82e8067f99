/*
 * cmd-serve.c - `draagvlak serve`: the web server residents answer on and
 * volunteers enter paper forms on (see server/http.h).
 *
 * main's thread only waits for SIGINT or SIGTERM; the signals are blocked
 * before any thread starts, so every thread inherits the mask and none is
 * interrupted.  Then the server stops accepting, finishes what is in
 * flight, checkpoints the store and we exit 0.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "accounts.h"
#include "cmd.h"
#include "http.h"
#include "banned.h"

const char cmd_serve_help[] =
	"usage: draagvlak serve [-d FILE | --data DIR] [OPTIONS]\n"
	"\n"
	"Serve the survey in the store: residents answer with the code on\n"
	"their form, volunteers log in to enter paper forms.  With --data,\n"
	"serve every survey of a host's folder (see 'draagvlak host').\n"
	"Stops cleanly on SIGINT or SIGTERM.  Run it behind a reverse proxy\n"
	"(see docs/server.md) or give it a certificate to speak TLS itself.\n"
	"\n"
	"  -d, --db FILE          the store (default: " CMD_DEFAULT_DB ")\n"
	"      --data DIR         a host's folder: DIR/host.db and its "
	"surveys\n"
	"      --name TEXT        on a host, the name its pages show\n"
	"  -a, --address ADDR     listen on this IPv4 or IPv6 address\n"
	"                         (default: 127.0.0.1; 0.0.0.0 for all)\n"
	"  -p, --port N           listen on port N (default: 8080; 0: any\n"
	"                         free port, see --port-file)\n"
	"      --port-file FILE   write the port to FILE once listening\n"
	"      --tls-cert FILE    PEM certificate (chain) for HTTPS\n"
	"      --tls-key FILE     its PEM private key\n"
	"      --trust-proxy      behind a reverse proxy on this machine:\n"
	"                         take the client's address from X-Real-IP\n"
	"      --threads N        polling threads (default: 4)\n"
	"      --max-connections N      (default: 512)\n"
	"      --per-ip-connections N   (default: 32)\n"
	"      --max-scan-upload MB     the most volunteers may upload at\n"
	"                         once at /scan (default: 64)\n"
	"      --today YYYY-MM-DD for tests and demos: pretend it is that\n"
	"                         day when deciding whether the survey is "
	"open\n"
	"  -h, --help             show this help\n";

static int parse_uint(const char *s, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || *s == '-')
		return -1;
	*out = (unsigned)v;
	return 0;
}

static bool valid_date(const char *s)
{
	int y, m, d;
	char extra;

	return strlen(s) == 10 &&
	       sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 && m >= 1 &&
	       m <= 12 && d >= 1 && d <= 31 && s[4] == '-' && s[7] == '-';
}

static int write_port_file(const char *path, unsigned port)
{
	struct strbuf tmp = STRBUF_INIT;
	FILE *f;
	int ret = -1;

	/* Written whole, then renamed: a reader never sees half of it. */
	strbuf_addf(&tmp, "%s.tmp", path);
	f = fopen(tmp.buf, "w");
	if (!f)
		goto out;
	fprintf(f, "%u\n", port);
	if (fclose(f) == 0 && rename(tmp.buf, path) == 0)
		ret = 0;
out:
	if (ret < 0)
		cmd_error("cannot write %s: %s", path, strerror(errno));
	strbuf_release(&tmp);
	return ret;
}

static int count_account(const char *name, enum store_role role,
			 const char *created_at, void *data)
{
	(void)name;
	(void)role;
	(void)created_at;
	++*(unsigned *)data;
	return 0;
}

/*
 * A fresh installation has no accounts, and nobody can log in: say, once
 * at every start until there is one, how to make the first.
 */
static void hint_first_account(const char *db)
{
	struct strbuf err = STRBUF_INIT;
	struct store *st = store_open(db, STORE_EXISTING, &err);
	unsigned n = 0;

	if (st &&
	    store_account_each(st, NULL, count_account, &n, &err) == STORE_OK &&
	    !n)
		server_log(LOG_NOTICE,
			   "there are no accounts yet; create the first board "
			   "account with: sudo -u draagvlak draagvlak user add "
			   "--db %s NAME --role board",
			   db);
	store_free(st);
	strbuf_release(&err);
}

int cmd_serve(int argc, char **argv)
{
	enum {
		OPT_PORT_FILE = 256,
		OPT_CERT,
		OPT_KEY,
		OPT_PROXY,
		OPT_THREADS,
		OPT_MAXCONN,
		OPT_PERIP,
		OPT_MAXSCAN,
		OPT_TODAY,
		OPT_DATA,
		OPT_NAME
	};
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "address", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, OPT_PORT_FILE },
		{ "tls-cert", required_argument, NULL, OPT_CERT },
		{ "tls-key", required_argument, NULL, OPT_KEY },
		{ "trust-proxy", no_argument, NULL, OPT_PROXY },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "max-connections", required_argument, NULL, OPT_MAXCONN },
		{ "per-ip-connections", required_argument, NULL, OPT_PERIP },
		{ "max-scan-upload", required_argument, NULL, OPT_MAXSCAN },
		{ "today", required_argument, NULL, OPT_TODAY },
		{ "data", required_argument, NULL, OPT_DATA },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_config cfg = { .db_path = CMD_DEFAULT_DB, .port = 8080 };
	struct strbuf err = STRBUF_INIT;
	const char *port_file = NULL;
	struct store_writer_stats stats = { 0 };
	struct server *srv;
	bool db_given = false;
	sigset_t set;
	int c, sig = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:a:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cfg.db_path = optarg;
			db_given = true;
			break;
		case 'a': cfg.address = optarg; break;
		case 'p':
			if (parse_uint(optarg, 65535, &cfg.port) < 0)
				return cmd_usage_error(
					"serve", "'%s' is not a port", optarg);
			break;
		case OPT_PORT_FILE: port_file = optarg; break;
		case OPT_CERT: cfg.tls_cert = optarg; break;
		case OPT_KEY: cfg.tls_key = optarg; break;
		case OPT_PROXY: cfg.trust_proxy = true; break;
		case OPT_THREADS:
			if (parse_uint(optarg, 256, &cfg.threads) < 0 ||
			    !cfg.threads)
				return cmd_usage_error(
					"serve", "--threads needs 1 to 256");
			break;
		case OPT_MAXCONN:
			if (parse_uint(optarg, 100000, &cfg.max_connections) <
				    0 ||
			    !cfg.max_connections)
				return cmd_usage_error(
					"serve", "--max-connections needs a "
						 "positive number");
			break;
		case OPT_PERIP:
			if (parse_uint(optarg, 100000,
				       &cfg.per_ip_connections) < 0 ||
			    !cfg.per_ip_connections)
				return cmd_usage_error(
					"serve", "--per-ip-connections needs a "
						 "positive number");
			break;
		case OPT_MAXSCAN: {
			unsigned mb;

			if (parse_uint(optarg, 1024, &mb) < 0 || !mb)
				return cmd_usage_error(
					"serve", "--max-scan-upload needs 1 to "
						 "1024 (megabytes)");
			cfg.max_scan_upload = (size_t)mb * 1024 * 1024;
			break;
		}
		case OPT_TODAY:
			if (!valid_date(optarg))
				return cmd_usage_error(
					"serve", "--today needs YYYY-MM-DD");
			cfg.today = optarg;
			break;
		case OPT_DATA: cfg.data_dir = optarg; break;
		case OPT_NAME: cfg.host_name = optarg; break;
		case 'h': return cmd_print_help("serve");
		default: return cmd_usage_error("serve", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("serve", "unexpected argument '%s'",
				       argv[optind]);
	if (db_given && cfg.data_dir)
		return cmd_usage_error("serve", "serve one store (--db) or a "
						"host's folder (--data), not "
						"both");

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	srv = server_start(&cfg, &err);
	if (!srv) {
		cmd_error("%s", err.buf);
		strbuf_release(&err);
		return CMD_FAIL;
	}
	if (port_file && write_port_file(port_file, server_port(srv)) < 0) {
		server_stop(srv, NULL);
		return CMD_FAIL;
	}
	if (srv->host)
		server_log(LOG_NOTICE, "serving %zu surveys of %s",
			   srv->nr_surveys, cfg.data_dir);
	server_log(LOG_NOTICE, "serving %s on %s://%s:%u/%s",
		   srv->host ? "the host" : srv->staff->survey->id,
		   srv->tls ? "https" : "http",
		   cfg.address ? cfg.address : "127.0.0.1", server_port(srv),
		   cfg.today ? " (pretending it is --today)" : "");
	hint_first_account(srv->staff->path);
	sigwait(&set, &sig);
	server_log(LOG_NOTICE, "%s: finishing and stopping",
		   sig == SIGINT ? "SIGINT" : "SIGTERM");
	server_stop(srv, &stats);
	server_log(LOG_NOTICE,
		   "stopped; every answer is in the store (%llu written in "
		   "%llu commits, %llu refused)",
		   stats.jobs, stats.batches, stats.failed);
	return CMD_OK;
}
