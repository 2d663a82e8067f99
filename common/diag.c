/*
 * diag.c - collecting and printing diagnostics about user input (diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "xalloc.h"
#include "banned.h"

void diag_list_init(struct diag_list *dl, const char *file)
{
	dl->file = xstrdup(file ? file : "<input>");
	dl->items = NULL;
	dl->nr = dl->alloc = 0;
	dl->errors = dl->warnings = 0;
	dl->warning_label = NULL;
}

void diag_list_release(struct diag_list *dl)
{
	if (!dl)
		return;
	for (size_t i = 0; i < dl->nr; i++)
		free(dl->items[i].msg);
	free(dl->items);
	free(dl->file);
	dl->file = NULL;
	dl->items = NULL;
	dl->nr = dl->alloc = dl->errors = dl->warnings = 0;
}

static void diag_vadd(struct diag_list *dl, enum diag_level level, int line,
		      int column, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
static void diag_vadd(struct diag_list *dl, enum diag_level level, int line,
		      int column, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag *d;

	strbuf_vaddf(&sb, fmt, ap);
	ALLOC_GROW(dl->items, dl->nr + 1, dl->alloc);
	d = &dl->items[dl->nr++];
	d->level = level;
	d->line = line;
	d->column = column;
	d->msg = strbuf_detach(&sb, NULL);
	if (level == DIAG_ERROR)
		dl->errors++;
	else
		dl->warnings++;
}

void diag_error(struct diag_list *dl, int line, int column, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, DIAG_ERROR, line, column, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag_list *dl, int line, int column, const char *fmt,
		  ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(dl, DIAG_WARNING, line, column, fmt, ap);
	va_end(ap);
}

/* Position-less diagnostics (line 0) are about the whole input: last. */
static int diag_after(const struct diag *a, const struct diag *b)
{
	unsigned la = (unsigned)a->line - 1, lb = (unsigned)b->line - 1;

	if (la != lb)
		return la > lb;
	return a->column > b->column;
}

/* Insertion sort keeps equal positions in the order they were found. */
static void diag_sort(struct diag_list *dl)
{
	for (size_t i = 1; i < dl->nr; i++) {
		struct diag d = dl->items[i];
		size_t j = i;

		while (j > 0 && diag_after(&dl->items[j - 1], &d)) {
			dl->items[j] = dl->items[j - 1];
			j--;
		}
		dl->items[j] = d;
	}
}

void diag_list_format(struct diag_list *dl, struct strbuf *sb)
{
	diag_sort(dl);
	for (size_t i = 0; i < dl->nr; i++) {
		const struct diag *d = &dl->items[i];

		strbuf_addstr(sb, dl->file);
		if (d->line > 0) {
			strbuf_addf(sb, ":%d", d->line);
			if (d->column > 0)
				strbuf_addf(sb, ":%d", d->column);
		}
		strbuf_addstr(sb, ": ");
		if (d->level == DIAG_WARNING)
			strbuf_addf(sb, "%s: ",
				    dl->warning_label ? dl->warning_label
						      : "warning");
		strbuf_addstr(sb, d->msg);
		strbuf_addch(sb, '\n');
	}
}

void diag_list_print(struct diag_list *dl, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;

	diag_list_format(dl, &sb);
	fputs(sb.buf, out);
	strbuf_release(&sb);
}
