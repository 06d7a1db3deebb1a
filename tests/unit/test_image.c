/* tests/unit/test_image.c — core/image: whole JPEG, PNG and PDF files pass; headers glued to anything else do not */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/image.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* An 8x8 grey baseline JPEG: one DC and one AC code, every block flat. */
static const unsigned char jpeg[] = {
	0xff, 0xd8,
	0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00,
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0xff, 0xdb, 0x00, 0x43, 0x00,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01,
	0x01, 0x11, 0x00,
	0xff, 0xc4, 0x00, 0x14, 0x00,
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
	0xff, 0xc4, 0x00, 0x14, 0x10,
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
	0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
	0x3f,
	0xff, 0xd9,
};
#define JPEG_SOF	(20 + 69)	/* where SOF0 starts */
#define JPEG_SOS	(sizeof(jpeg) - 13)

/* A 1x1 RGBA PNG: one red pixel. */
static const unsigned char png[] = {
	0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
	0x00, 0x00, 0x00, 0x0d, 'I', 'H', 'D', 'R', 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15,
	0xc4, 0x89,
	0x00, 0x00, 0x00, 0x0d, 'I', 'D', 'A', 'T', 0x78, 0xda, 0x63, 0xf8,
	0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x56, 0xc7,
	0x2f, 0x0d,
	0x00, 0x00, 0x00, 0x00, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
};
#define PNG_IHDR	8
#define PNG_IDAT	33
#define PNG_IEND	(sizeof(png) - 12)

static unsigned char buf[4096];
static const char *why;

static int
says(const char *reason, const char *sub)
{
	return reason != NULL && (sub == NULL || strstr(reason, sub) != NULL);
}

/* Refused, and the reason says sub (if not NULL); or passes. */
#define refused(expr, sub, name) do {					\
	why = (expr);							\
	ok(says(why, (sub)), "%s: %s", (name), why ? why : "passed");	\
} while (0)
#define passes(expr, name) do {						\
	why = (expr);							\
	ok(why == NULL, "%s%s%s", (name), why ? ": " : "",		\
	    why ? why : "");						\
} while (0)

static size_t
cat(size_t at, const void *p, size_t n)
{
	if (at + n > sizeof(buf))
		abort();
	memcpy(buf + at, p, n);
	return at + n;
}

/* A PNG chunk with its length and CRC. */
static size_t
chunk(size_t at, const char *type, const void *data, size_t n)
{
	unsigned char h[8], t[4];
	uint32_t crc;

	h[0] = (unsigned char)(n >> 24);
	h[1] = (unsigned char)(n >> 16);
	h[2] = (unsigned char)(n >> 8);
	h[3] = (unsigned char)n;
	memcpy(h + 4, type, 4);
	at = cat(at, h, 8);
	at = cat(at, data, n);
	crc = image_crc32(image_crc32(0, h + 4, 4), data, n);
	t[0] = (unsigned char)(crc >> 24);
	t[1] = (unsigned char)(crc >> 16);
	t[2] = (unsigned char)(crc >> 8);
	t[3] = (unsigned char)crc;
	return cat(at, t, 4);
}

/* A one-page PDF with its cross-reference table where startxref says. */
static size_t
pdf(const char *extra_obj, const char *tail)
{
	char *s = (char *)buf;
	size_t n, o1, o2, o3, o4, xref;

	n = (size_t)snprintf(s, sizeof(buf), "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
	o1 = n;
	n += (size_t)snprintf(s + n, sizeof(buf) - n,
	    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R %s>>\nendobj\n",
	    extra_obj ? extra_obj : "");
	o2 = n;
	n += (size_t)snprintf(s + n, sizeof(buf) - n,
	    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	o3 = n;
	n += (size_t)snprintf(s + n, sizeof(buf) - n,
	    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]"
	    " /Contents 4 0 R >>\nendobj\n");
	o4 = n;
	n += (size_t)snprintf(s + n, sizeof(buf) - n,
	    "4 0 obj\n<< /Length 9 >>\nstream\n/JS 0 0 m\nendstream\nendobj\n");
	xref = n;
	n += (size_t)snprintf(s + n, sizeof(buf) - n,
	    "xref\n0 5\n0000000000 65535 f \n%010zu 00000 n \n%010zu 00000 n \n"
	    "%010zu 00000 n \n%010zu 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R >>\n"
	    "startxref\n%zu\n%%%%EOF%s", o1, o2, o3, o4, xref,
	    tail ? tail : "\n");
	return n;
}

static void
test_crc(void)
{
	is_int((long)image_crc32(0, (const unsigned char *)"123456789", 9),
	    (long)0xcbf43926L, "CRC-32 of \"123456789\"");
	is_int((long)image_crc32(0, (const unsigned char *)"", 0), 0,
	    "CRC-32 of nothing");
	is_int((long)image_crc32(image_crc32(0, (const unsigned char *)"1234", 4),
	    (const unsigned char *)"56789", 5), (long)0xcbf43926L,
	    "CRC-32 in two pieces");
}

/* jpeg with the bytes at..at+len replaced by what (wlen bytes). */
static size_t
jpeg_with(size_t at, size_t len, const char *what, size_t wlen)
{
	size_t n = cat(0, jpeg, at);

	n = cat(n, what, wlen);
	return cat(n, jpeg + at + len, sizeof(jpeg) - at - len);
}

static void
test_jpeg(void)
{
	size_t n, i;
	int bad;

	passes(image_jpeg_check(jpeg, sizeof(jpeg)), "a whole JPEG passes");
	passes(image_check("image/jpeg", jpeg, sizeof(jpeg)), "  as image/jpeg");
	ok(image_check("image/png", jpeg, sizeof(jpeg)) == IMAGE_MISMATCH,
	    "  not as image/png");
	ok(image_check("application/pdf", jpeg, sizeof(jpeg)) == IMAGE_MISMATCH,
	    "  nor as application/pdf");
	ok(image_check("image/gif", jpeg, sizeof(jpeg)) == IMAGE_MISMATCH,
	    "  nor as anything else");

	for (bad = 0, n = 0; n < sizeof(jpeg); n++)
		if (image_jpeg_check(jpeg, n) == NULL)
			bad++;
	is_int(bad, 0, "no proper prefix of it passes");

	n = cat(0, jpeg, sizeof(jpeg));
	n = cat(n, "<html><script>alert(1)</script></html>", 38);
	refused(image_jpeg_check(buf, n), "after", "HTML after EOI");

	/* The header a magic-number check looks at, then a page. */
	n = cat(0, jpeg, 20);
	n = cat(n, "<html><script>alert(1)</script></html>", 38);
	refused(image_jpeg_check(buf, n), NULL, "SOI, APP0, then HTML");
	n = cat(n, "\xff\xd9", 2);
	refused(image_jpeg_check(buf, n), NULL, "SOI, APP0, HTML, EOI");
	refused(image_jpeg_check((const unsigned char *)"\xff\xd8\xff\xd9", 4),
	    NULL, "SOI EOI");

	/* Segments out of order or out of bounds. */
	n = jpeg_with(JPEG_SOF, JPEG_SOS - JPEG_SOF, "", 0);
	refused(image_jpeg_check(buf, n), "frame", "a scan without a frame");
	n = jpeg_with(JPEG_SOF, 0, (const char *)jpeg + JPEG_SOF, 13);
	refused(image_jpeg_check(buf, n), "more than", "two frames");
	n = jpeg_with(22, 1, "\x01", 1);	/* DQT's length: 0x0143 */
	refused(image_jpeg_check(buf, n), "past", "a segment longer than the file");
	n = jpeg_with(JPEG_SOF + 6, 1, "", 1);	/* height 0 */
	refused(image_jpeg_check(buf, n), "size", "height 0");
	n = jpeg_with(JPEG_SOF + 7, 1, "\x50", 1);	/* width 0x5008 */
	refused(image_jpeg_check(buf, n), "size", "width 20488");
	n = jpeg_with(JPEG_SOF + 4, 1, "\x09", 1);
	refused(image_jpeg_check(buf, n), "precision", "9-bit samples");
	n = jpeg_with(JPEG_SOF + 9, 1, "\x05", 1);
	refused(image_jpeg_check(buf, n), "frame", "a frame of 5 components");
	n = cat(0, jpeg, sizeof(jpeg));
	for (i = 0; i < 16; i++)		/* DHT counts sum past 256 */
		buf[JPEG_SOF + 13 + 5 + i] = 0xff;
	refused(image_jpeg_check(buf, n), "Huffman",
	    "a Huffman table with 4080 codes");
	n = jpeg_with(24, 1, "\x24", 1);	/* DQT precision 2, id 4 */
	refused(image_jpeg_check(buf, n), "quant", "a quantisation table id 4");
	n = jpeg_with(JPEG_SOS + 4, 1, "\x02", 1);	/* Ns 2, length for 1 */
	refused(image_jpeg_check(buf, n), "scan", "a scan header of the wrong size");

	/* What a scan may hold: stuffed FF00, restarts, fill before a marker. */
	n = jpeg_with(sizeof(jpeg) - 3, 3,
	    "\x3f\xff\x00\x3f\xff\xd0\x3f\xff\xff\xff\xd9", 11);
	passes(image_jpeg_check(buf, n), "FF00, RST0 and fill bytes in a scan pass");
	n = jpeg_with(sizeof(jpeg) - 3, 3, "\x3f\xff", 2);
	refused(image_jpeg_check(buf, n), "end", "a scan cut short");
	/* Markers where they do not belong. */
	n = jpeg_with(JPEG_SOF, 0, "\xff\xd0", 2);
	refused(image_jpeg_check(buf, n), "place", "RST0 between segments");
	n = jpeg_with(JPEG_SOF, 0, "\xff\xd8", 2);
	refused(image_jpeg_check(buf, n), "place", "SOI again");
	n = jpeg_with(JPEG_SOF, 0, "\xff\xde\x00\x02", 4);
	refused(image_jpeg_check(buf, n), "unsupported", "DHP (hierarchical)");
	n = jpeg_with(JPEG_SOF, 0, "\xff\x02\x00\x02", 4);
	refused(image_jpeg_check(buf, n), "unsupported", "a reserved marker");
	n = jpeg_with(JPEG_SOF, 0, "xx", 2);
	refused(image_jpeg_check(buf, n), "marker", "bytes between segments");
	/* A comment carries anything (it is never run, and never served). */
	n = jpeg_with(20, 0, "\xff\xfe\x00\x0a<b>hi</b>", 12);
	passes(image_jpeg_check(buf, n), "a COM segment passes");
	n = jpeg_with(20, 0, "\xff\xdd\x00\x04\x00\x10", 6);
	passes(image_jpeg_check(buf, n), "a DRI segment passes");
	/* Two scans (progressive files have several). */
	n = cat(0, jpeg, sizeof(jpeg) - 2);
	n = cat(n, jpeg + JPEG_SOS, sizeof(jpeg) - JPEG_SOS);
	passes(image_jpeg_check(buf, n), "two scans pass");
}

/* png[0..8) and IHDR with the given fields, then IDAT and IEND. */
static size_t
png_ihdr(const unsigned char *ihdr, size_t len)
{
	size_t n = chunk(cat(0, png, 8), "IHDR", ihdr, len);

	return cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
}

static void
test_png(void)
{
	static const unsigned char pal[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 3,
	    0, 0, 0 };
	static const unsigned char plte[3] = { 0, 0, 0 };
	unsigned char ihdr[13];
	size_t n;
	int bad;

	passes(image_png_check(png, sizeof(png)), "a whole PNG passes");
	passes(image_check("image/png", png, sizeof(png)), "  as image/png");
	ok(image_check("image/jpeg", png, sizeof(png)) == IMAGE_MISMATCH,
	    "  not as image/jpeg");
	for (bad = 0, n = 0; n < sizeof(png); n++)
		if (image_png_check(png, n) == NULL)
			bad++;
	is_int(bad, 0, "no proper prefix of it passes");

	n = cat(0, png, sizeof(png));
	n = cat(n, "<html>", 6);
	refused(image_png_check(buf, n), "after IEND", "HTML after IEND");
	n = cat(0, png, 8);
	n = cat(n, "<html><script>alert(1)</script></html>", 38);
	refused(image_png_check(buf, n), NULL, "the signature, then HTML");

	n = cat(0, png, sizeof(png));
	buf[PNG_IDAT + 10] ^= 1;
	refused(image_png_check(buf, n), "CRC", "a flipped bit in IDAT");
	n = cat(0, png, sizeof(png));
	buf[PNG_IEND + 11] ^= 1;
	refused(image_png_check(buf, n), "CRC", "a flipped bit in IEND's CRC");

	n = chunk(cat(0, png, 8), "tEXt", "a\0b", 3);
	n = cat(n, png + 8, sizeof(png) - 8);
	refused(image_png_check(buf, n), "first", "a chunk before IHDR");
	n = chunk(cat(0, png, PNG_IDAT), "tEXt", "Comment\0<b>x</b>", 16);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	passes(image_png_check(buf, n), "an ancillary chunk passes");
	n = chunk(cat(0, png, PNG_IDAT), "ABCD", "x", 1);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	refused(image_png_check(buf, n), "critical", "an unknown critical chunk");
	n = chunk(cat(0, png, PNG_IDAT), "abcd", "x", 1);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	refused(image_png_check(buf, n), "type", "a chunk with the reserved bit");
	n = chunk(cat(0, png, PNG_IDAT), "a<CD", "x", 1);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	refused(image_png_check(buf, n), "type", "a chunk type that is not letters");
	n = chunk(cat(0, png, PNG_IEND), "tEXt", "a\0b", 3);
	n = cat(n, png + PNG_IDAT, PNG_IEND - PNG_IDAT);
	n = cat(n, png + PNG_IEND, 12);
	refused(image_png_check(buf, n), "apart", "IDAT, tEXt, IDAT");
	n = cat(cat(0, png, PNG_IDAT), png + PNG_IEND, 12);
	refused(image_png_check(buf, n), "no image", "no IDAT");
	n = cat(0, png, PNG_IEND);
	refused(image_png_check(buf, n), "IEND", "no IEND");
	n = cat(0, png, sizeof(png));
	buf[PNG_IDAT] = 0x7f;			/* IDAT length 0x7f00000d */
	refused(image_png_check(buf, n), "past", "a chunk longer than the file");
	n = cat(0, png, sizeof(png));
	buf[PNG_IDAT] = 0x80;			/* IDAT length 0x8000000d */
	refused(image_png_check(buf, n), "past", "a chunk length over 2^31");

	/* IHDR's fields. */
	memcpy(ihdr, png + PNG_IHDR + 8, 13);
	ihdr[3] = 0;
	refused(image_png_check(buf, png_ihdr(ihdr, 13)), "size", "width 0");
	memcpy(ihdr, png + PNG_IHDR + 8, 13);
	ihdr[1] = 1;
	refused(image_png_check(buf, png_ihdr(ihdr, 13)), "size", "width 65537");
	memcpy(ihdr, png + PNG_IHDR + 8, 13);
	ihdr[8] = 4;
	refused(image_png_check(buf, png_ihdr(ihdr, 13)), "depth",
	    "RGBA at 4 bits");
	memcpy(ihdr, png + PNG_IHDR + 8, 13);
	ihdr[9] = 5;
	refused(image_png_check(buf, png_ihdr(ihdr, 13)), "colour",
	    "colour type 5");
	memcpy(ihdr, png + PNG_IHDR + 8, 13);
	ihdr[12] = 2;
	refused(image_png_check(buf, png_ihdr(ihdr, 13)), "interlace",
	    "interlace method 2");
	refused(image_png_check(buf, png_ihdr(png + PNG_IHDR + 8, 12)), "IHDR",
	    "a 12-byte IHDR");
	/* A short IHDR ending the file: nothing read past it (under SAN=1). */
	{
		unsigned char *exact;

		n = chunk(cat(0, png, 8), "IHDR", "\x01", 1);
		if ((exact = malloc(n)) == NULL)
			abort();
		memcpy(exact, buf, n);
		refused(image_png_check(exact, n), "IHDR",
		    "a 1-byte IHDR at the end of the file");
		free(exact);
	}
	n = cat(0, png, PNG_IDAT);
	n = cat(n, png + PNG_IHDR, 25);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	refused(image_png_check(buf, n), "twice", "IHDR twice");

	/* A palette image needs its PLTE before IDAT; a grey one has none. */
	refused(image_png_check(buf, png_ihdr(pal, 13)), "PLTE",
	    "a palette image without PLTE");
	n = chunk(chunk(cat(0, png, 8), "IHDR", pal, 13), "PLTE", plte, 3);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	passes(image_png_check(buf, n), "with PLTE it passes");
	n = chunk(chunk(cat(0, png, 8), "IHDR", pal, 13), "PLTE", plte, 2);
	n = cat(n, png + PNG_IDAT, sizeof(png) - PNG_IDAT);
	refused(image_png_check(buf, n), "PLTE", "a 2-byte PLTE");
	n = chunk(cat(0, png, PNG_IEND), "PLTE", plte, 3);
	n = cat(n, png + PNG_IEND, 12);
	refused(image_png_check(buf, n), "PLTE", "PLTE after IDAT");
}

static void
test_pdf(void)
{
	size_t n;

	n = pdf(NULL, NULL);
	passes(image_pdf_check(buf, n), "a whole PDF passes");
	passes(image_check("application/pdf", buf, n), "  as application/pdf");
	ok(image_check("image/png", buf, n) == IMAGE_MISMATCH, "  not as image/png");
	passes(image_pdf_check(buf, n - 1), "  without its last newline");
	n = pdf(NULL, "\r\n");
	passes(image_pdf_check(buf, n), "  with CR LF after %EOF");
	refused(image_pdf_check(buf, n - 5), "EOF", "  cut inside %EOF");

	n = pdf(NULL, "\n<html><script>alert(1)</script></html>\n");
	refused(image_pdf_check(buf, n), "EOF", "HTML after %EOF");
	n = pdf(NULL, "\n<html><script>alert(1)</script></html>\n%%EOF\n");
	refused(image_pdf_check(buf, n), "startxref", "HTML between two %EOF");
	n = pdf(NULL, "\n\n\n");
	refused(image_pdf_check(buf, n), "EOF", "blank lines after %EOF");

	n = pdf(NULL, NULL);
	buf[5] = '3';
	refused(image_pdf_check(buf, n), "header", "%PDF-3.4");
	n = cat(0, "%PDF-1.4<html>\nxref\nstartxref\n15\n%%EOF\n", 38);
	refused(image_pdf_check(buf, n), "header", "no line end after the version");
	n = cat(0, "%PDF-1.4\n<html></html>\n%%EOF\n", 29);
	refused(image_pdf_check(buf, n), "startxref", "no startxref");
	n = cat(0, "%PDF-1.4\n<html></html>\nstartxref\n99999\n%%EOF\n", 45);
	refused(image_pdf_check(buf, n), "startxref", "startxref past the end");
	n = cat(0, "%PDF-1.4\n<html></html>\nstartxref\n10\n%%EOF\n", 42);
	refused(image_pdf_check(buf, n), "nowhere", "startxref at no table");
	n = cat(0, "%PDF-1.4\nxref\nstartxref\n9\n%%EOF\n", 32);
	passes(image_pdf_check(buf, n), "the smallest shape that passes");

	/* Active content, however its name is spelled. */
	n = pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ", NULL);
	refused(image_pdf_check(buf, n), "active", "/JavaScript");
	n = pdf("/OpenAction << /S /J#61vaScript >> ", NULL);
	refused(image_pdf_check(buf, n), "active", "/J#61vaScript");
	n = pdf("/OpenAction << /S /Launch /F (calc.exe) >> ", NULL);
	refused(image_pdf_check(buf, n), "active", "/Launch");
	n = pdf("/Names << /EmbeddedFiles 5 0 R >> ", NULL);
	refused(image_pdf_check(buf, n), "active", "/EmbeddedFiles");
	n = pdf("/AcroForm << /XFA 5 0 R >> ", NULL);
	refused(image_pdf_check(buf, n), "active", "/XFA");
	n = pdf("/OpenAction [3 0 R /Fit] /JSX 1 /Lang (JS) ", NULL);
	passes(image_pdf_check(buf, n), "/Fit, /JSX and (JS) pass; /JS inside "
	    "a stream is not looked at");
}

int
main(void)
{
	test_crc();
	test_jpeg();
	test_png();
	test_pdf();
	return done_testing();
}
