/*
 * testutil.c - scratch folders for the C tests (see testutil.h).
 */
#include "testutil.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "banned.h"

void test_remove_tree(const char *dir)
{
	struct strbuf path = STRBUF_INIT;
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, e->d_name);
		if (!lstat(path.buf, &st) && S_ISDIR(st.st_mode))
			test_remove_tree(path.buf);
		else
			unlink(path.buf);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	strbuf_release(&path);
}
