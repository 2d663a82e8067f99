/*
 * bare.c - for the bench only: the least a server can do to take durable
 * form submissions with libmicrohttpd and SQLite, to know the ceiling of
 * `draagvlak serve` on this machine.
 *
 * GET of anything: a page of PAGE_BYTES bytes from memory (the static
 * ceiling).  POST of anything: the body is kept as one row, and the reply,
 * a 303, goes out only after the commit that holds the row is on disk
 * (WAL, synchronous=FULL).  As in the real server, the connection is
 * suspended meanwhile, one writer thread commits whatever is waiting in
 * one transaction (group commit) and resumes those connections, and the
 * first callback of a request never answers (libmicrohttpd 0.9.x would
 * then close a keep-alive connection).  No parsing, no checks, no HTML.
 *
 * usage: bare STORE PORT_FILE [THREADS] [PAGE_BYTES]
 *	runs until SIGINT or SIGTERM; prints the port to PORT_FILE.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"
#include "banned.h"

struct post {
	struct MHD_Connection *conn;
	struct strbuf body;
	bool queued, committed;
	int rc;
	struct post *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct post *head, *tail;
static bool stopping;
static sqlite3 *db;
static sqlite3_stmt *ins, *begin, *commit;
static char *page;
static size_t page_len;

static int step(sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void *writer_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct post *list;
		int rc;

		pthread_mutex_lock(&lock);
		while (!head && !stopping)
			pthread_cond_wait(&wake, &lock);
		list = head;
		head = tail = NULL;
		pthread_mutex_unlock(&lock);
		if (!list)
			break;
		rc = step(begin);
		for (struct post *p = list; p && !rc; p = p->next) {
			sqlite3_bind_text(ins, 1, p->body.buf, (int)p->body.len,
					  SQLITE_STATIC);
			rc = step(ins);
		}
		if (!rc)
			rc = step(commit);
		if (rc)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		while (list) {
			struct post *next = list->next;

			list->rc = rc;
			list->committed = true;
			MHD_resume_connection(list->conn);
			list = next;
		}
	}
	return NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct post *p = *req_cls;
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)version;
	if (!p) {
		p = xcalloc(1, sizeof(*p));
		p->conn = conn;
		strbuf_init(&p->body, 0);
		*req_cls = p;
		return MHD_YES;
	}
	if (*upload_data_size) {
		strbuf_add(&p->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!strcmp(method, MHD_HTTP_METHOD_POST) && !p->committed) {
		if (p->queued)
			return MHD_YES;
		p->queued = true;
		MHD_suspend_connection(conn);
		pthread_mutex_lock(&lock);
		if (tail)
			tail->next = p;
		else
			head = p;
		tail = p;
		pthread_cond_signal(&wake);
		pthread_mutex_unlock(&lock);
		return MHD_YES;
	}
	if (p->committed) {
		r = MHD_create_response_from_buffer(0, "",
						    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Location", "/ontvangen");
		ret = MHD_queue_response(conn,
					 p->rc ? MHD_HTTP_INTERNAL_SERVER_ERROR
					       : MHD_HTTP_SEE_OTHER,
					 r);
	} else {
		r = MHD_create_response_from_buffer(page_len, page,
						    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Type", "text/css");
		ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	}
	MHD_destroy_response(r);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct post *p = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!p)
		return;
	strbuf_release(&p->body);
	free(p);
	*req_cls = NULL;
}

static int prepare(const char *sql, sqlite3_stmt **stmt)
{
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt,
				  NULL);
}

int main(int argc, char **argv)
{
	unsigned threads = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 4;
	sigset_t sigs;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;
	pthread_t writer;
	FILE *f;
	int sig, ret = 1;

	if (argc < 3) {
		fputs("usage: bare STORE PORT_FILE [THREADS] [PAGE_BYTES]\n",
		      stderr);
		return 2;
	}
	page_len = argc > 4 ? strtoul(argv[4], NULL, 10) : 2048;
	page = xmalloc(page_len + 1);
	memset(page, 'x', page_len);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA journal_mode = WAL;"
			 "PRAGMA synchronous = FULL;"
			 "CREATE TABLE IF NOT EXISTS post("
			 " id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    prepare("INSERT INTO post(body) VALUES (?)", &ins) ||
	    prepare("BEGIN IMMEDIATE", &begin) || prepare("COMMIT", &commit)) {
		fprintf(stderr, "bare: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	if (pthread_create(&writer, NULL, writer_main, NULL))
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
			MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		0, NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, 512,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 256,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	f = info ? fopen(argv[2], "w") : NULL;
	if (!f) {
		fputs("bare: cannot start\n", stderr);
		goto stop;
	}
	fprintf(f, "%u\n", info->port);
	fclose(f);
	sigwait(&sigs, &sig);
	ret = 0;
stop:
	/* The writer resumes what waits; then the daemon may stop. */
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(writer, NULL);
	if (d)
		MHD_stop_daemon(d);
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	free(page);
	return ret;
}
