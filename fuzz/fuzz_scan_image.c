/*
 * fuzz_scan_image.c - libFuzzer harness for the scan image reader
 * (scan_source_open/next, scan/image.c): the bytes as a file of each
 * kind a scanner writes (the reader decides by content), every page read,
 * never a crash.  The decoders' own size limits (scan/README.md) keep each
 * input cheap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "image.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct strbuf err = STRBUF_INIT;
	struct scan_source *src;
	struct scan_image img;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-scan-%ld",
			 (long)getpid());
	f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	src = scan_source_open(path, &err);
	if (src) {
		for (int page = 0; page < 4; page++) {
			scan_image_init(&img);
			strbuf_reset(&err);
			if (scan_source_next(src, &img, &err) <= 0) {
				scan_image_release(&img);
				break;
			}
			scan_image_release(&img);
		}
		scan_source_close(src);
	}
	strbuf_release(&err);
	unlink(path);
	return 0;
}
