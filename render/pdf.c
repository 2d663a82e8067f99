/*
 * pdf.c - the small PDF writer of the forms (see pdf.h): reading cairo's
 * template, copying its objects, writing pages, glyphs, inline QR images
 * and subset TrueType fonts.
 */
#include <errno.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pdf.h"
#include "xalloc.h"
#include "banned.h"

#define FLUSH_AT      (1 << 16)
#define OBJS_PER_FONT 5 /* Type0, CIDFont, descriptor, file, ToUnicode */
#define MAX_CLUSTER   3 /* code points a glyph can stand for */

/* A face embedded in the file. */
struct font {
	hb_face_t *face;
	unsigned obj; /* the first of OBJS_PER_FONT */
	unsigned upem, nr_glyphs;
	hb_font_t *units; /* at a scale of font units, for advances */
	unsigned char *used;
	int *advance;		      /* font units, of used glyphs */
	uint32_t (*uni)[MAX_CLUSTER]; /* what each glyph stands for */
};

/* A PangoFont (a face at a size) and where its face is. */
struct sized {
	PangoFont *pf;
	size_t font;
	double em_mm; /* pango's size of the em, in mm */
	double em_pt;
};

struct render_pdf {
	FILE *fp;
	int errnum;
	struct strbuf out; /* not yet written to fp */
	uint64_t flushed;
	double w, h;

	uint64_t *offs; /* per object, 0 = none yet */
	size_t nr_objs, alloc_objs;
	unsigned pages_obj, resources_obj, root_obj;
	struct strbuf info;	 /* the template's /Info value, or empty */
	struct strbuf page_dict; /* what every page's dictionary says */
	unsigned *tmpl_xobj;	 /* per template page, its form XObject */
	size_t nr_tmpl;

	unsigned *kids;
	size_t nr_kids, alloc_kids;
	struct font *fonts;
	size_t nr_fonts, alloc_fonts;
	struct sized *sized;
	size_t nr_sized, alloc_sized;
};

/* ---- Output ---- */

/*
 * A number with at most three decimals, without printf: a page has a
 * few dozen of them, and printf's floating-point path was a tenth of the
 * time of a page in cairo.
 */
static void add_num(struct strbuf *sb, double v)
{
	char tmp[32], *e = tmp + sizeof(tmp), *p = e;
	unsigned long long x;
	unsigned frac;
	bool neg = v < 0;

	x = (unsigned long long)((neg ? -v : v) * 1000 + 0.5);
	frac = (unsigned)(x % 1000);
	x /= 1000;
	if (frac) {
		int digits = 3;

		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		while (digits--) {
			*--p = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	if (neg && (p[0] != '0' || p + 1 != e))
		*--p = '-';
	strbuf_add(sb, p, (size_t)(e - p));
}

static void add_int(struct strbuf *sb, long v)
{
	add_num(sb, (double)v);
}

static uint64_t pos(const struct render_pdf *pdf)
{
	return pdf->flushed + pdf->out.len;
}

static void flush(struct render_pdf *pdf)
{
	if (pdf->out.len && !pdf->errnum &&
	    fwrite(pdf->out.buf, 1, pdf->out.len, pdf->fp) != pdf->out.len)
		pdf->errnum = errno ? errno : EIO;
	pdf->flushed += pdf->out.len;
	strbuf_reset(&pdf->out);
}

static void maybe_flush(struct render_pdf *pdf)
{
	if (pdf->out.len >= FLUSH_AT)
		flush(pdf);
}

static unsigned new_obj(struct render_pdf *pdf)
{
	ALLOC_GROW(pdf->offs, pdf->nr_objs + 1, pdf->alloc_objs);
	pdf->offs[pdf->nr_objs] = 0;
	return (unsigned)pdf->nr_objs++;
}

static void begin_obj(struct render_pdf *pdf, unsigned n)
{
	pdf->offs[n] = pos(pdf);
	add_int(&pdf->out, (long)n);
	strbuf_addstr(&pdf->out, " 0 obj\n");
}

static void end_obj(struct render_pdf *pdf)
{
	strbuf_addstr(&pdf->out, "endobj\n");
	maybe_flush(pdf);
}

/* A stream object: dict (without << >>, /Length added) and data. */
static void stream_obj(struct render_pdf *pdf, unsigned n, const char *dict,
		       const void *data, size_t len)
{
	begin_obj(pdf, n);
	strbuf_addstr(&pdf->out, "<< ");
	strbuf_addstr(&pdf->out, dict);
	strbuf_addstr(&pdf->out, "/Length ");
	add_int(&pdf->out, (long)len);
	strbuf_addstr(&pdf->out, " >>\nstream\n");
	strbuf_add(&pdf->out, data, len);
	strbuf_addstr(&pdf->out, "\nendstream\n");
	end_obj(pdf);
}

static const char hex[] = "0123456789abcdef";

/* ---- Reading the template ---- */

struct tmpl {
	const char *b;
	size_t len;
	struct strbuf *err;
};

static bool is_ws(int c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == 0;
}

static bool is_delim(int c)
{
	return is_ws(c) || (c && strchr("()<>[]{}/%", c));
}

/* Past white space and comments. */
static size_t skip_ws(const struct tmpl *t, size_t i)
{
	while (i < t->len) {
		if (t->b[i] == '%') {
			while (i < t->len && t->b[i] != '\n' && t->b[i] != '\r')
				i++;
		} else if (is_ws((unsigned char)t->b[i])) {
			i++;
		} else {
			break;
		}
	}
	return i;
}

/* End of the regular token at i (a number, keyword or name body). */
static size_t token_end(const struct tmpl *t, size_t i)
{
	while (i < t->len && !is_delim((unsigned char)t->b[i]))
		i++;
	return i;
}

static bool is_uint(const struct tmpl *t, size_t i, size_t e)
{
	if (i == e)
		return false;
	for (; i < e; i++)
		if (t->b[i] < '0' || t->b[i] > '9')
			return false;
	return true;
}

/* The end of the value that starts at i (after white space), 0 if none. */
static size_t value_end(const struct tmpl *t, size_t i, int depth)
{
	size_t e, j, k;

	i = skip_ws(t, i);
	if (i >= t->len || depth > 32)
		return 0;
	switch (t->b[i]) {
	case '<':
		if (i + 1 < t->len && t->b[i + 1] == '<') {
			for (i += 2;;) {
				i = skip_ws(t, i);
				if (i + 1 < t->len && t->b[i] == '>' &&
				    t->b[i + 1] == '>')
					return i + 2;
				i = value_end(t, i, depth + 1); /* key */
				if (!i)
					return 0;
				i = value_end(t, i, depth + 1);
				if (!i)
					return 0;
			}
		}
		e = i + 1;
		while (e < t->len && t->b[e] != '>')
			e++;
		return e < t->len ? e + 1 : 0;
	case '[':
		for (i++;;) {
			i = skip_ws(t, i);
			if (i < t->len && t->b[i] == ']')
				return i + 1;
			i = value_end(t, i, depth + 1);
			if (!i)
				return 0;
		}
	case '(':
		for (int nest = 0; ++i < t->len;) {
			if (t->b[i] == '\\')
				i++;
			else if (t->b[i] == '(')
				nest++;
			else if (t->b[i] == ')' && nest-- == 0)
				return i + 1;
		}
		return 0;
	case '/': return token_end(t, i + 1);
	case ')':
	case '>':
	case ']':
	case '{':
	case '}': return 0;
	}
	e = token_end(t, i);
	if (e == i)
		return 0;
	/* "12 0 R" is one value: a reference. */
	if (is_uint(t, i, e)) {
		j = skip_ws(t, e);
		k = token_end(t, j);
		if (is_uint(t, j, k)) {
			size_t r = skip_ws(t, k);

			if (r < t->len && t->b[r] == 'R' &&
			    (r + 1 == t->len ||
			     is_delim((unsigned char)t->b[r + 1])))
				return r + 1;
		}
	}
	return e;
}

/* The value of key (with its slash) in the dictionary at i: its start
 * in *vs and end returned; 0 when absent or malformed. */
static size_t dict_get(const struct tmpl *t, size_t i, const char *key,
		       size_t *vs)
{
	size_t klen = strlen(key);

	i = skip_ws(t, i);
	if (i + 1 >= t->len || t->b[i] != '<' || t->b[i + 1] != '<')
		return 0;
	for (i += 2;;) {
		size_t ke, ve;

		i = skip_ws(t, i);
		if (i >= t->len || t->b[i] != '/')
			return 0;
		ke = token_end(t, i + 1);
		ve = value_end(t, ke, 0);
		if (!ve)
			return 0;
		if (ke - i == klen && !memcmp(t->b + i, key, klen)) {
			*vs = skip_ws(t, ke);
			return ve;
		}
		i = ve;
	}
}

/* "N G R" at vs: N, or 0. */
static unsigned parse_ref(const struct tmpl *t, size_t vs, size_t ve)
{
	unsigned long n = 0;
	size_t i = vs;

	while (i < ve && t->b[i] >= '0' && t->b[i] <= '9')
		n = n * 10 + (unsigned long)(t->b[i++] - '0');
	if (i == vs || i == ve || t->b[ve - 1] != 'R' || n > 1u << 30)
		return 0;
	return (unsigned)n;
}

static bool parse_uint(const struct tmpl *t, size_t vs, size_t ve,
		       unsigned long long *out)
{
	unsigned long long n = 0;

	if (!is_uint(t, vs, ve) || ve - vs > 15)
		return false;
	for (size_t i = vs; i < ve; i++)
		n = n * 10 + (unsigned long long)(t->b[i] - '0');
	*out = n;
	return true;
}

struct xref {
	uint64_t *off; /* per object; 0 = free */
	size_t nr;
	size_t start; /* of the "xref" keyword */
	size_t trailer;
};

static int bad(const struct tmpl *t, const char *what)
{
	strbuf_addf(t->err, "cairo wrote a PDF this writer cannot read (%s)",
		    what);
	return RENDER_PDF_UNSUPPORTED;
}

static int read_xref(const struct tmpl *t, struct xref *x)
{
	size_t i, e;
	unsigned long long v, start, count;
	const char *sx = NULL;

	for (size_t k = t->len > 9 ? t->len - 9 : 0;
	     k-- > 0 && k + 1024 > t->len;)
		if (!memcmp(t->b + k, "startxref", 9)) {
			sx = t->b + k;
			break;
		}
	if (!sx)
		return bad(t, "no startxref");
	i = skip_ws(t, (size_t)(sx - t->b) + 9);
	e = token_end(t, i);
	if (!parse_uint(t, i, e, &v) || v + 4 > t->len ||
	    memcmp(t->b + v, "xref", 4))
		return bad(t, "no cross-reference table");
	x->start = (size_t)v;
	i = (size_t)v + 4;
	for (;;) {
		i = skip_ws(t, i);
		if (i + 7 <= t->len && !memcmp(t->b + i, "trailer", 7)) {
			x->trailer = i + 7;
			return 0;
		}
		e = token_end(t, i);
		if (!parse_uint(t, i, e, &start))
			return bad(t, "cross-reference subsection");
		i = skip_ws(t, e);
		e = token_end(t, i);
		if (!parse_uint(t, i, e, &count) || start + count > 1u << 24)
			return bad(t, "cross-reference subsection");
		i = e;
		if (start + count > x->nr) {
			x->off = xrealloc(x->off, (size_t)(start + count) *
							  sizeof(*x->off));
			memset(x->off + x->nr, 0,
			       (size_t)(start + count - x->nr) *
				       sizeof(*x->off));
			x->nr = (size_t)(start + count);
		}
		for (unsigned long long n = start; n < start + count; n++) {
			size_t oe, ge, te;

			i = skip_ws(t, i);
			oe = token_end(t, i);
			if (!parse_uint(t, i, oe, &v))
				return bad(t, "cross-reference entry");
			ge = token_end(t, skip_ws(t, oe));
			i = skip_ws(t, ge);
			te = token_end(t, i);
			if (te != i + 1 || (t->b[i] != 'n' && t->b[i] != 'f'))
				return bad(t, "cross-reference entry");
			if (t->b[i] == 'n') {
				if (v >= x->start)
					return bad(t, "object after the table");
				x->off[n] = v;
			}
			i = te;
		}
	}
}

/* Where the value of object n starts (after "n g obj"); 0 if not there. */
static size_t obj_value(const struct tmpl *t, const struct xref *x, unsigned n)
{
	size_t i, e;
	unsigned long long v;

	if (n == 0 || n >= x->nr || !x->off[n])
		return 0;
	i = (size_t)x->off[n];
	e = token_end(t, i);
	if (!parse_uint(t, i, e, &v) || v != n)
		return 0;
	i = skip_ws(t, e);
	i = skip_ws(t, token_end(t, i)); /* generation */
	if (i + 3 > t->len || memcmp(t->b + i, "obj", 3))
		return 0;
	return i + 3;
}

/* An integer value, direct or in an object of its own. */
static bool get_uint(const struct tmpl *t, const struct xref *x, size_t vs,
		     size_t ve, unsigned long long *out)
{
	unsigned ref = parse_ref(t, vs, ve);

	if (ref) {
		vs = skip_ws(t, obj_value(t, x, ref));
		if (vs == 0 || !(ve = value_end(t, vs, 0)))
			return false;
	}
	return parse_uint(t, vs, ve, out);
}

/* A template page: its content stream and resources. */
struct tpage {
	unsigned obj, contents;
	size_t res, res_end;	   /* the /Resources value */
	size_t filter, filter_end; /* the content's /Filter value, or 0 */
	size_t data, data_len;
};

static int read_page(const struct tmpl *t, const struct xref *x, unsigned n,
		     struct tpage *p)
{
	size_t v = obj_value(t, x, n), vs, ve, i;
	unsigned long long len;

	p->obj = n;
	if (!v)
		return bad(t, "a page object is missing");
	ve = dict_get(t, v, "/Type", &vs);
	if (!ve || ve - vs != 5 || memcmp(t->b + vs, "/Page", 5))
		return bad(t, "a page tree deeper than one level");
	ve = dict_get(t, v, "/Contents", &vs);
	p->contents = ve ? parse_ref(t, vs, ve) : 0;
	if (!p->contents)
		return bad(t, "a page without one content stream");
	p->res_end = dict_get(t, v, "/Resources", &p->res);
	if (!p->res_end)
		return bad(t, "a page without resources");
	v = obj_value(t, x, p->contents);
	ve = v ? dict_get(t, v, "/Length", &vs) : 0;
	if (!ve || !get_uint(t, x, vs, ve, &len))
		return bad(t, "a content stream without a length");
	p->filter_end = dict_get(t, v, "/Filter", &p->filter);
	i = skip_ws(t, value_end(t, v, 0));
	if (i + 6 > t->len || memcmp(t->b + i, "stream", 6))
		return bad(t, "a content stream that is not a stream");
	i += 6;
	if (i < t->len && t->b[i] == '\r')
		i++;
	if (i < t->len && t->b[i] == '\n')
		i++;
	if (len > t->len - i)
		return bad(t, "a content stream longer than the file");
	p->data = i;
	p->data_len = (size_t)len;
	return 0;
}

struct placed {
	uint64_t off;
	unsigned n;
};

static int cmp_off(const void *a, const void *b)
{
	uint64_t oa = ((const struct placed *)a)->off;
	uint64_t ob = ((const struct placed *)b)->off;

	return oa < ob ? -1 : oa > ob;
}

/* Whether n is the object number of a page or its contents. */
static const struct tpage *page_of(const struct tpage *pages, size_t nr,
				   unsigned n, bool *is_contents)
{
	for (size_t i = 0; i < nr; i++) {
		if (pages[i].obj == n || pages[i].contents == n) {
			*is_contents = pages[i].contents == n;
			return &pages[i];
		}
	}
	return NULL;
}

/*
 * Copy the template: every object as it is, except the page tree (written
 * at the end with the real pages), the template pages (null) and their
 * content streams (now form XObjects of the same numbers).
 */
static int import_template(struct render_pdf *pdf, const struct tmpl *t)
{
	struct xref x = { 0 };
	struct tpage *pages = NULL;
	struct placed *order = NULL;
	size_t v, vs, ve, nr_pages = 0, first = t->len, nr_order = 0;
	unsigned long long size;
	int ret;

	ret = read_xref(t, &x);
	if (ret)
		goto out;
	ret = RENDER_PDF_UNSUPPORTED;
	ve = dict_get(t, x.trailer, "/Size", &vs);
	if (!ve || !parse_uint(t, vs, ve, &size) || size != x.nr) {
		bad(t, "trailer /Size");
		goto out;
	}
	ve = dict_get(t, x.trailer, "/Root", &vs);
	pdf->root_obj = ve ? parse_ref(t, vs, ve) : 0;
	ve = dict_get(t, x.trailer, "/Info", &vs);
	if (ve)
		strbuf_add(&pdf->info, t->b + vs, ve - vs);
	v = obj_value(t, &x, pdf->root_obj);
	ve = v ? dict_get(t, v, "/Pages", &vs) : 0;
	pdf->pages_obj = ve ? parse_ref(t, vs, ve) : 0;
	v = obj_value(t, &x, pdf->pages_obj);
	ve = v ? dict_get(t, v, "/Kids", &vs) : 0;
	if (!ve || t->b[vs] != '[') {
		bad(t, "no page tree");
		goto out;
	}
	for (size_t i = vs + 1;;) {
		size_t e;
		unsigned n;

		i = skip_ws(t, i);
		if (i < ve && t->b[i] == ']')
			break;
		e = value_end(t, i, 0);
		n = e ? parse_ref(t, i, e) : 0;
		if (!n) {
			bad(t, "page tree");
			goto out;
		}
		pages = xrealloc(pages, (nr_pages + 1) * sizeof(*pages));
		if (read_page(t, &x, n, &pages[nr_pages]))
			goto out;
		nr_pages++;
		i = e;
	}
	if (!nr_pages) {
		bad(t, "no pages");
		goto out;
	}

	order = xcalloc(x.nr, sizeof(*order));
	for (unsigned n = 1; n < x.nr; n++)
		if (x.off[n]) {
			order[nr_order].off = x.off[n];
			order[nr_order++].n = n;
			if (x.off[n] < first)
				first = (size_t)x.off[n];
		}
	qsort(order, nr_order, sizeof(*order), cmp_off);

	/* The header: the version line and the binary comment. */
	strbuf_add(&pdf->out, t->b, first);
	pdf->nr_objs = x.nr;
	pdf->offs = xcalloc(x.nr, sizeof(*pdf->offs));
	pdf->alloc_objs = x.nr;
	for (size_t k = 0; k < nr_order; k++) {
		unsigned n = order[k].n;
		size_t end =
			k + 1 < nr_order ? (size_t)order[k + 1].off : x.start;
		bool is_contents;
		const struct tpage *p =
			page_of(pages, nr_pages, n, &is_contents);
		struct strbuf d = STRBUF_INIT;

		if (n == pdf->pages_obj)
			continue;
		if (!p) {
			pdf->offs[n] = pos(pdf);
			strbuf_add(&pdf->out, t->b + x.off[n],
				   end - (size_t)x.off[n]);
			maybe_flush(pdf);
			continue;
		}
		if (!is_contents) {
			begin_obj(pdf, n);
			strbuf_addstr(&pdf->out, "null\n");
			end_obj(pdf);
			continue;
		}
		strbuf_addstr(&d, "/Type /XObject /Subtype /Form /BBox [ 0 0 ");
		add_num(&d, pdf->w);
		strbuf_addch(&d, ' ');
		add_num(&d, pdf->h);
		strbuf_addstr(&d, " ] /Resources ");
		strbuf_add(&d, t->b + p->res, p->res_end - p->res);
		if (p->filter_end) {
			strbuf_addstr(&d, " /Filter ");
			strbuf_add(&d, t->b + p->filter,
				   p->filter_end - p->filter);
		}
		strbuf_addch(&d, ' ');
		stream_obj(pdf, n, d.buf, t->b + p->data, p->data_len);
		strbuf_release(&d);
	}
	if (!pdf->pages_obj || !x.off[pdf->pages_obj] || !pdf->root_obj) {
		bad(t, "no catalog");
		goto out;
	}
	pdf->nr_tmpl = nr_pages;
	pdf->tmpl_xobj = xcalloc(nr_pages, sizeof(*pdf->tmpl_xobj));
	for (size_t i = 0; i < nr_pages; i++)
		pdf->tmpl_xobj[i] = pages[i].contents;
	pdf->resources_obj = new_obj(pdf);
	strbuf_addf(&pdf->page_dict, "%u 0 R /MediaBox [ 0 0 ", pdf->pages_obj);
	add_num(&pdf->page_dict, pdf->w);
	strbuf_addch(&pdf->page_dict, ' ');
	add_num(&pdf->page_dict, pdf->h);
	strbuf_addf(&pdf->page_dict, " ] /Resources %u 0 R /Contents ",
		    pdf->resources_obj);
	ret = 0;
out:
	free(x.off);
	free(pages);
	free(order);
	return ret;
}

struct render_pdf *render_pdf_open(FILE *fp, double w, double h,
				   const char *tmpl, size_t len, int *ret,
				   struct strbuf *err)
{
	struct render_pdf *pdf = xcalloc(1, sizeof(*pdf));
	struct tmpl t = { tmpl, len, err };

	pdf->fp = fp;
	pdf->w = w;
	pdf->h = h;
	strbuf_init(&pdf->out, FLUSH_AT + 4096);
	strbuf_init(&pdf->info, 0);
	strbuf_init(&pdf->page_dict, 0);
	*ret = import_template(pdf, &t);
	if (!*ret) {
		flush(pdf);
		if (pdf->errnum) {
			strbuf_addf(err, "%s", strerror(pdf->errnum));
			*ret = -1;
		}
	}
	if (*ret) {
		render_pdf_abandon(pdf);
		return NULL;
	}
	return pdf;
}

size_t render_pdf_template_pages(const struct render_pdf *pdf)
{
	return pdf->nr_tmpl;
}

/* ---- Page content ---- */

void render_pdf_template(struct render_pdf *pdf, struct strbuf *c, size_t k)
{
	(void)pdf;
	strbuf_addstr(c, "q /T");
	add_int(c, (long)k);
	strbuf_addstr(c, " Do Q\n");
}

void render_pdf_colour(struct strbuf *c, double r, double g, double b)
{
	add_num(c, r);
	strbuf_addch(c, ' ');
	add_num(c, g);
	strbuf_addch(c, ' ');
	add_num(c, b);
	strbuf_addstr(c, " rg\n");
}

void render_pdf_rect(struct strbuf *c, double x, double y, double w, double h)
{
	add_num(c, x);
	strbuf_addch(c, ' ');
	add_num(c, y);
	strbuf_addch(c, ' ');
	add_num(c, w);
	strbuf_addch(c, ' ');
	add_num(c, h);
	strbuf_addstr(c, " re f\n");
}

void render_pdf_qr(struct strbuf *c, const struct render_qr_symbol *sym,
		   double x, double y, double size)
{
	int bytes = (sym->width + 7) / 8;

	strbuf_addstr(c, "q ");
	add_num(c, size);
	strbuf_addstr(c, " 0 0 ");
	add_num(c, size);
	strbuf_addch(c, ' ');
	add_num(c, x);
	strbuf_addch(c, ' ');
	add_num(c, y);
	/* Not interpolated (the default): crisp modules at any scale. */
	strbuf_addstr(c, " cm\nBI /IM true /W ");
	add_int(c, sym->width);
	strbuf_addstr(c, " /H ");
	add_int(c, sym->width);
	strbuf_addstr(c, " /BPC 1 /D [1 0] /F /AHx ID\n");
	for (int r = 0; r < sym->width; r++) {
		char line[2 * sizeof(sym->row[0]) + 1];
		int n = 0;

		for (int k = 0; k < bytes; k++) {
			line[n++] = hex[sym->row[r][k] >> 4];
			line[n++] = hex[sym->row[r][k] & 15];
		}
		line[n++] = '\n';
		strbuf_add(c, line, (size_t)n);
	}
	strbuf_addstr(c, ">\nEI Q\n");
}

/* The embedded font of face, added when new; -1 if it cannot be. */
static long font_of(struct render_pdf *pdf, hb_face_t *face)
{
	struct font *f;
	hb_blob_t *glyf;
	unsigned glyf_len;

	for (size_t i = 0; i < pdf->nr_fonts; i++)
		if (pdf->fonts[i].face == face)
			return (long)i;
	/* TrueType outlines only: FontFile2.  CFF would need FontFile3. */
	glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
	glyf_len = hb_blob_get_length(glyf);
	hb_blob_destroy(glyf);
	if (!glyf_len)
		return -1;
	ALLOC_GROW(pdf->fonts, pdf->nr_fonts + 1, pdf->alloc_fonts);
	f = &pdf->fonts[pdf->nr_fonts];
	memset(f, 0, sizeof(*f));
	f->face = hb_face_reference(face);
	f->upem = hb_face_get_upem(face);
	f->nr_glyphs = hb_face_get_glyph_count(face);
	f->units = hb_font_create(face); /* scale: font units */
	f->used = xcalloc(f->nr_glyphs, 1);
	f->advance = xcalloc(f->nr_glyphs, sizeof(*f->advance));
	f->uni = xcalloc(f->nr_glyphs, sizeof(*f->uni));
	f->obj = new_obj(pdf);
	for (int k = 1; k < OBJS_PER_FONT; k++)
		new_obj(pdf);
	return (long)pdf->nr_fonts++;
}

static struct sized *sized_of(struct render_pdf *pdf, PangoFont *pf)
{
	PangoFontDescription *fd;
	struct sized *s;
	long f;

	for (size_t i = 0; i < pdf->nr_sized; i++)
		if (pdf->sized[i].pf == pf)
			return &pdf->sized[i];
	f = font_of(pdf, hb_font_get_face(pango_font_get_hb_font(pf)));
	if (f < 0)
		return NULL;
	ALLOC_GROW(pdf->sized, pdf->nr_sized + 1, pdf->alloc_sized);
	s = &pdf->sized[pdf->nr_sized++];
	s->pf = g_object_ref(pf);
	s->font = (size_t)f;
	/* Device units are mm (render_pango_context()). */
	fd = pango_font_describe_with_absolute_size(pf);
	s->em_mm = (double)pango_font_description_get_size(fd) / PANGO_SCALE;
	pango_font_description_free(fd);
	s->em_pt = s->em_mm * 72.0 / 25.4;
	return s;
}

/* Remember what glyph g of f stands for: the code points of its cluster,
 * when the cluster is that one glyph. */
static void use_glyph(struct font *f, unsigned g, const char *s, const char *e)
{
	if (g >= f->nr_glyphs)
		return;
	if (!f->used[g]) {
		f->used[g] = 1;
		f->advance[g] = hb_font_get_glyph_h_advance(f->units,
							    (hb_codepoint_t)g);
	}
	if (f->uni[g][0] || !s)
		return;
	for (int k = 0; k < MAX_CLUSTER && s < e; k++) {
		gunichar u = g_utf8_get_char_validated(s, e - s);

		if (u == (gunichar)-1 || u == (gunichar)-2)
			break;
		f->uni[g][k] = u;
		s = g_utf8_next_char(s);
	}
}

int render_pdf_glyphs(struct render_pdf *pdf, struct strbuf *c, PangoFont *font,
		      const PangoGlyphString *gs, const char *text, int len,
		      double x, double y)
{
	struct sized *s = sized_of(pdf, font);
	struct font *f;
	/* pango units (mm / PANGO_SCALE) to thousandths of the em */
	double k, pen = 0, at = 0, rise = 0;
	char gh[6] = { '<', 0, 0, 0, 0, '>' };

	if (!s)
		return RENDER_PDF_UNSUPPORTED;
	f = &pdf->fonts[s->font];
	k = 1000.0 / (s->em_mm * PANGO_SCALE);
	strbuf_addstr(c, "BT /F");
	add_int(c, (long)s->font);
	strbuf_addch(c, ' ');
	add_num(c, s->em_pt);
	strbuf_addstr(c, " Tf 1 0 0 1 ");
	add_num(c, x);
	strbuf_addch(c, ' ');
	add_num(c, y);
	strbuf_addstr(c, " Tm [");
	for (int i = 0; i < gs->num_glyphs; i++) {
		const PangoGlyphInfo *gi = &gs->glyphs[i];
		unsigned g = gi->glyph;
		int cs = gs->log_clusters[i], ce = len;
		double want = at + gi->geometry.x_offset * k, adj, r;
		long a;

		if (g & PANGO_GLYPH_UNKNOWN_FLAG || g == PANGO_GLYPH_EMPTY ||
		    g >= f->nr_glyphs) {
			/* No glyph to show: move on as pango does. */
			at += gi->geometry.width * k;
			continue;
		}
		/* The cluster: up to the next glyph of another cluster. */
		for (int j = i + 1; j < gs->num_glyphs; j++)
			if (gs->log_clusters[j] != cs) {
				ce = gs->log_clusters[j];
				break;
			}
		if (ce < cs)
			ce = len;
		use_glyph(f, g,
			  i && gs->log_clusters[i - 1] == cs ? NULL : text + cs,
			  text + ce);
		r = -gi->geometry.y_offset * k;
		if (r != rise) {
			/* Marks above or below: a text rise, in points. */
			strbuf_addstr(c, "] TJ ");
			add_num(c, r * s->em_pt / 1000);
			strbuf_addstr(c, " Ts [");
			rise = r;
		}
		/* TJ moves the pen back by its numbers: pen - want. */
		adj = pen - want;
		a = (long)(adj < 0 ? adj - 0.5 : adj + 0.5);
		if (a) {
			add_int(c, a);
			pen -= (double)a;
		}
		gh[1] = hex[g >> 12 & 15];
		gh[2] = hex[g >> 8 & 15];
		gh[3] = hex[g >> 4 & 15];
		gh[4] = hex[g & 15];
		strbuf_add(c, gh, sizeof(gh));
		pen += f->advance[g] * 1000.0 / f->upem;
		at += gi->geometry.width * k;
	}
	strbuf_addstr(c, "] TJ");
	if (rise != 0)
		strbuf_addstr(c, " 0 Ts");
	strbuf_addstr(c, " ET\n");
	return 0;
}

int render_pdf_add_page(struct render_pdf *pdf, const struct strbuf *c)
{
	unsigned content = new_obj(pdf), page = new_obj(pdf);

	stream_obj(pdf, content, "", c->buf, c->len);
	begin_obj(pdf, page);
	strbuf_addstr(&pdf->out, "<< /Type /Page /Parent ");
	strbuf_add(&pdf->out, pdf->page_dict.buf, pdf->page_dict.len);
	add_int(&pdf->out, (long)content);
	strbuf_addstr(&pdf->out, " 0 R >>\n");
	end_obj(pdf);
	ALLOC_GROW(pdf->kids, pdf->nr_kids + 1, pdf->alloc_kids);
	pdf->kids[pdf->nr_kids++] = page;
	return pdf->errnum ? -1 : 0;
}

/* ---- Fonts ---- */

static uint16_t be16(const char *p)
{
	return (uint16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
}

/* Font units to thousandths of the em. */
static long per_mille(const struct font *f, long v)
{
	double t = (double)v * 1000.0 / f->upem;

	return (long)(t < 0 ? t - 0.5 : t + 0.5);
}

/* Six capitals from the glyphs used: the subset tag PDF asks for. */
static void subset_tag(const struct font *f, size_t i, char tag[7])
{
	uint32_t h = 2166136261u ^ (uint32_t)i;

	for (unsigned g = 0; g < f->nr_glyphs; g++)
		if (f->used[g])
			h = (h ^ g) * 16777619u;
	for (int k = 0; k < 6; k++) {
		tag[k] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = 0;
}

/* The ToUnicode CMap: each used glyph to the text it stands for. */
static void to_unicode(const struct font *f, struct strbuf *cm)
{
	size_t n = 0;

	strbuf_addstr(cm, "/CIDInit /ProcSet findresource begin\n"
			  "12 dict begin\nbegincmap\n"
			  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
			  "/Supplement 0 >> def\n"
			  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
			  "1 begincodespacerange\n<0000> <ffff>\n"
			  "endcodespacerange\n");
	for (unsigned g = 0; g < f->nr_glyphs; g++) {
		if (!f->used[g] || !f->uni[g][0])
			continue;
		if (n % 100 == 0) {
			size_t left = 0;

			if (n)
				strbuf_addstr(cm, "endbfchar\n");
			for (unsigned k = g; k < f->nr_glyphs && left < 100;
			     k++)
				left += f->used[k] && f->uni[k][0];
			strbuf_addf(cm, "%zu beginbfchar\n", left);
		}
		strbuf_addf(cm, "<%04x> <", g);
		for (int k = 0; k < MAX_CLUSTER && f->uni[g][k]; k++) {
			uint32_t u = f->uni[g][k];

			if (u >= 0x10000) {
				u -= 0x10000;
				strbuf_addf(cm, "%04x%04x", 0xd800 + (u >> 10),
					    0xdc00 + (u & 0x3ff));
			} else {
				strbuf_addf(cm, "%04x", u);
			}
		}
		strbuf_addstr(cm, ">\n");
		n++;
	}
	if (n)
		strbuf_addstr(cm, "endbfchar\n");
	strbuf_addstr(cm, "endcmap\nCMapName currentdict /CMap defineresource "
			  "pop\nend\nend\n");
}

/* The PostScript name, as PDF name characters. */
static void ps_name(hb_face_t *face, struct strbuf *out)
{
	char buf[64];
	unsigned len = sizeof(buf);

	hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
			    HB_LANGUAGE_INVALID, &len, buf);
	for (unsigned i = 0; i < len && buf[i]; i++)
		if ((buf[i] >= 'A' && buf[i] <= 'Z') ||
		    (buf[i] >= 'a' && buf[i] <= 'z') ||
		    (buf[i] >= '0' && buf[i] <= '9') || buf[i] == '-')
			strbuf_addch(out, buf[i]);
	if (!out->len)
		strbuf_addstr(out, "Font");
}

/* Flate-compressed data into out; 0, or -1 when zlib fails. */
static int deflate_into(const void *data, size_t len, struct strbuf *out)
{
	uLongf n = compressBound((uLong)len);

	strbuf_grow(out, n);
	if (compress2((Bytef *)out->buf + out->len, &n, data, (uLong)len, 9) !=
	    Z_OK)
		return -1;
	strbuf_setlen(out, out->len + n);
	return 0;
}

static int write_font(struct render_pdf *pdf, size_t i, struct strbuf *err)
{
	static const hb_tag_t drop[] = {
		HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
		HB_TAG('G', 'D', 'E', 'F'), HB_TAG('k', 'e', 'r', 'n'),
		HB_TAG('n', 'a', 'm', 'e'), HB_TAG('h', 'd', 'm', 'x'),
		HB_TAG('V', 'D', 'M', 'X'), HB_TAG('L', 'T', 'S', 'H'),
		HB_TAG('g', 'a', 's', 'p'), HB_TAG('D', 'S', 'I', 'G'),
	};
	struct font *f = &pdf->fonts[i];
	struct strbuf name = STRBUF_INIT, sb = STRBUF_INIT, z = STRBUF_INIT;
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL, *head = NULL, *hhea = NULL;
	const char *hd, *hh;
	unsigned hd_len, hh_len, len;
	const char *data;
	char tag[7];
	int ret = -1;
	long run_start = -1;

	if (!in)
		goto fail;
	hb_set_add(hb_subset_input_glyph_set(in), 0);
	for (unsigned g = 0; g < f->nr_glyphs; g++)
		if (f->used[g])
			hb_set_add(hb_subset_input_glyph_set(in), g);
	for (size_t k = 0; k < sizeof(drop) / sizeof(*drop); k++)
		hb_set_add(
			hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG),
			drop[k]);
	/* Glyph ids stay as pango shaped them (CIDToGIDMap /Identity);
	 * hinting is for screens, not for print. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS |
					      HB_SUBSET_FLAGS_NO_HINTING);
	sub = hb_subset_or_fail(f->face, in);
	if (!sub)
		goto fail;
	blob = hb_face_reference_blob(sub);
	data = hb_blob_get_data(blob, &len);
	head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
	hhea = hb_face_reference_table(f->face, HB_TAG('h', 'h', 'e', 'a'));
	hd = hb_blob_get_data(head, &hd_len);
	hh = hb_blob_get_data(hhea, &hh_len);
	if (!len || hd_len < 54 || hh_len < 36)
		goto fail;

	subset_tag(f, i, tag);
	strbuf_addf(&name, "%s+", tag);
	ps_name(f->face, &name);

	/* Type 0 font: the glyph ids are the codes (Identity-H). */
	begin_obj(pdf, f->obj);
	strbuf_addf(&pdf->out,
		    "<< /Type /Font /Subtype /Type0 /BaseFont /%s "
		    "/Encoding /Identity-H /DescendantFonts [ %u 0 R ] "
		    "/ToUnicode %u 0 R >>\n",
		    name.buf, f->obj + 1, f->obj + 4);
	end_obj(pdf);

	begin_obj(pdf, f->obj + 1);
	strbuf_addf(&pdf->out,
		    "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
		    "/CIDSystemInfo << /Registry (Adobe) /Ordering "
		    "(Identity) /Supplement 0 >> /FontDescriptor %u 0 R "
		    "/CIDToGIDMap /Identity /W [",
		    name.buf, f->obj + 2);
	for (unsigned g = 0; g <= f->nr_glyphs; g++) {
		bool u = g < f->nr_glyphs && f->used[g];

		if (u && run_start < 0) {
			run_start = g;
			strbuf_addf(&pdf->out, " %u [", g);
		}
		if (u) {
			strbuf_addch(&pdf->out, ' ');
			add_int(&pdf->out, per_mille(f, f->advance[g]));
		} else if (run_start >= 0) {
			strbuf_addstr(&pdf->out, " ]");
			run_start = -1;
		}
	}
	strbuf_addstr(&pdf->out, " ] >>\n");
	end_obj(pdf);

	begin_obj(pdf, f->obj + 2);
	strbuf_addf(&pdf->out,
		    "<< /Type /FontDescriptor /FontName /%s /Flags 4 "
		    "/FontBBox [ %ld %ld %ld %ld ] /ItalicAngle 0 "
		    "/Ascent %ld /Descent %ld /CapHeight %ld /StemV 80 "
		    "/FontFile2 %u 0 R >>\n",
		    name.buf, per_mille(f, (int16_t)be16(hd + 36)),
		    per_mille(f, (int16_t)be16(hd + 38)),
		    per_mille(f, (int16_t)be16(hd + 40)),
		    per_mille(f, (int16_t)be16(hd + 42)),
		    per_mille(f, (int16_t)be16(hh + 4)),
		    per_mille(f, (int16_t)be16(hh + 6)),
		    per_mille(f, (int16_t)be16(hh + 4)), f->obj + 3);
	end_obj(pdf);

	if (deflate_into(data, len, &z) < 0)
		goto fail;
	strbuf_addf(&sb, "/Length1 %u /Filter /FlateDecode ", len);
	stream_obj(pdf, f->obj + 3, sb.buf, z.buf, z.len);

	strbuf_reset(&sb);
	to_unicode(f, &sb);
	stream_obj(pdf, f->obj + 4, "", sb.buf, sb.len);
	ret = 0;
	goto out;
fail:
	strbuf_addstr(err, "cannot subset a font for the forms");
out:
	hb_blob_destroy(blob);
	hb_blob_destroy(head);
	hb_blob_destroy(hhea);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	strbuf_release(&name);
	strbuf_release(&sb);
	strbuf_release(&z);
	return ret;
}

int render_pdf_finish(struct render_pdf *pdf, uint64_t *bytes,
		      struct strbuf *err)
{
	uint64_t xref;
	int ret = -1, errnum = 0;

	for (size_t i = 0; i < pdf->nr_fonts; i++)
		if (write_font(pdf, i, err) < 0)
			goto out;

	begin_obj(pdf, pdf->resources_obj);
	strbuf_addstr(&pdf->out, "<< /XObject <<");
	for (size_t i = 0; i < pdf->nr_tmpl; i++)
		strbuf_addf(&pdf->out, " /T%zu %u 0 R", i, pdf->tmpl_xobj[i]);
	strbuf_addstr(&pdf->out, " >> /Font <<");
	for (size_t i = 0; i < pdf->nr_fonts; i++)
		strbuf_addf(&pdf->out, " /F%zu %u 0 R", i, pdf->fonts[i].obj);
	strbuf_addstr(&pdf->out, " >> >>\n");
	end_obj(pdf);

	/* One level of kids, as cairo writes it. */
	begin_obj(pdf, pdf->pages_obj);
	strbuf_addstr(&pdf->out, "<< /Type /Pages /Kids [");
	for (size_t i = 0; i < pdf->nr_kids; i++) {
		strbuf_addf(&pdf->out, " %u 0 R", pdf->kids[i]);
		maybe_flush(pdf);
	}
	strbuf_addf(&pdf->out, " ] /Count %zu >>\n", pdf->nr_kids);
	end_obj(pdf);

	xref = pos(pdf);
	strbuf_addf(&pdf->out, "xref\n0 %zu\n", pdf->nr_objs);
	for (size_t n = 0; n < pdf->nr_objs; n++) {
		if (pdf->offs[n])
			strbuf_addf(&pdf->out, "%010llu 00000 n \n",
				    (unsigned long long)pdf->offs[n]);
		else
			strbuf_addstr(&pdf->out, "0000000000 65535 f \n");
		maybe_flush(pdf);
	}
	strbuf_addf(&pdf->out, "trailer\n<< /Size %zu /Root %u 0 R",
		    pdf->nr_objs, pdf->root_obj);
	if (pdf->info.len)
		strbuf_addf(&pdf->out, " /Info %s", pdf->info.buf);
	strbuf_addf(&pdf->out, " >>\nstartxref\n%llu\n%%%%EOF\n",
		    (unsigned long long)xref);
	flush(pdf);
	if (pdf->errnum) {
		strbuf_addstr(err, strerror(pdf->errnum));
		errnum = pdf->errnum;
		goto out;
	}
	if (bytes)
		*bytes = pos(pdf);
	ret = 0;
out:
	render_pdf_abandon(pdf);
	/* The write's errno, so that callers can say what to do about it. */
	if (errnum)
		errno = errnum;
	return ret;
}

void render_pdf_abandon(struct render_pdf *pdf)
{
	if (!pdf)
		return;
	for (size_t i = 0; i < pdf->nr_fonts; i++) {
		struct font *f = &pdf->fonts[i];

		hb_font_destroy(f->units);
		hb_face_destroy(f->face);
		free(f->used);
		free(f->advance);
		free(f->uni);
	}
	for (size_t i = 0; i < pdf->nr_sized; i++)
		g_object_unref(pdf->sized[i].pf);
	free(pdf->fonts);
	free(pdf->sized);
	free(pdf->offs);
	free(pdf->kids);
	free(pdf->tmpl_xobj);
	strbuf_release(&pdf->out);
	strbuf_release(&pdf->info);
	strbuf_release(&pdf->page_dict);
	free(pdf);
}
