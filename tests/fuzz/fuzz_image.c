/* tests/fuzz/fuzz_image.c — libFuzzer: the JPEG, PNG and PDF structure checks on hostile bytes */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef const char *(*checker)(const unsigned char *, size_t);

/*
 * A file that passes ends where its format ends: one byte less or one
 * byte more is refused. Each check gets an exact-size copy, so a read
 * past the end is an ASan report.
 */
static void
check_one(checker fn, const unsigned char *b, size_t n)
{
	unsigned char *c;
	const char *why;

	if ((c = malloc(n + 1)) == NULL)
		return;
	memcpy(c, b, n);
	why = fn(c, n);
	if (why != NULL && why[0] == '\0')
		abort();
	if (why == NULL) {
		c[n] = '<';
		if (fn(c, n + 1) == NULL)
			abort();
		/* A PDF may end with or without its last line end. */
		if (fn == image_pdf_check && n > 0 &&
		    (c[n - 1] == '\n' || c[n - 1] == '\r'))
			;
		else if (n > 0 && fn(c, n - 1) == NULL)
			abort();
	}
	free(c);
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/*
 * The input as PNG chunks with correct CRCs, so the fuzzer gets past
 * them: [length byte][type, 4][data, length] ... after the signature.
 */
static void
png_chunks(const uint8_t *d, size_t n)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a,
	    0x1a, 0x0a };
	unsigned char *b;
	size_t i = 0, o = sizeof(sig), len;

	if ((b = malloc(sizeof(sig) + 3 * n + 12)) == NULL)
		return;
	memcpy(b, sig, sizeof(sig));
	while (i + 5 <= n) {
		len = d[i];
		if (n - i - 5 < len)
			len = n - i - 5;
		put32(b + o, (uint32_t)len);
		memcpy(b + o + 4, d + i + 1, 4 + len);
		put32(b + o + 8 + len, image_crc32(0, b + o + 4, 4 + len));
		o += 12 + len;
		i += 5 + len;
	}
	check_one(image_png_check, b, o);
	free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *b;

	check_one(image_jpeg_check, data, size);
	check_one(image_png_check, data, size);
	check_one(image_pdf_check, data, size);
	png_chunks(data, size);

	/* Past the signatures, where the structure is. */
	if ((b = malloc(size + 16)) == NULL)
		return 0;
	memcpy(b, "\xff\xd8\xff", 3);
	memcpy(b + 3, data, size);
	check_one(image_jpeg_check, b, size + 3);
	memcpy(b, "%PDF-1.7\n", 9);
	memcpy(b + 9, data, size);
	check_one(image_pdf_check, b, size + 9);
	free(b);

	/* The dispatch agrees with the checks. */
	if (size > 0) {
		static const char *const types[] = { "image/jpeg", "image/png",
		    "application/pdf", "image/gif" };
		const char *t = types[data[0] % 4];
		const char *why = image_check(t, data, size);

		if (data[0] % 4 == 3 && why != IMAGE_MISMATCH)
			abort();
	}
	return 0;
}
