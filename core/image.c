/* core/image.c — an uploaded file is what its content type says: JPEG, PNG and PDF checked by structure, not by their first bytes */
#define _GNU_SOURCE	/* memmem */
#include <string.h>

#include "core/image.h"
#include "core/util.h"

/*
 * A magic number is three or eight bytes: "\xff\xd8\xff" followed by an
 * HTML page passes it, and a browser, a viewer or a mail client that
 * sniffs the rest may run it. So each type is walked from its first byte
 * to its last: every segment or chunk where its length says, the order
 * the format requires, checksums where it has them, and nothing after
 * the end marker. Pixel data is not decoded; its bounds and framing are
 * checked.
 */

const char IMAGE_MISMATCH[] = "content does not match contentType";

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
size_ok(uint32_t w, uint32_t h)
{
	return w > 0 && h > 0 && w <= IMAGE_MAX_SIDE && h <= IMAGE_MAX_SIDE &&
	    (unsigned long)w * h <= IMAGE_MAX_PIXELS;
}

/* ---- JPEG (ITU-T T.81, JFIF/Exif) ------------------------------------------ */

/* DQT: one or more tables of 64 entries, 8- or 16-bit. */
static const char *
jpeg_dqt(const unsigned char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (s[i] >> 4 > 1 || (s[i] & 0x0f) > 3)
			return "not a valid JPEG: bad quantisation table";
		k = s[i] >> 4 ? 128 : 64;
		if (n - i - 1 < k)
			return "not a valid JPEG: bad quantisation table";
		i += 1 + k;
	}
	return n > 0 ? NULL : "not a valid JPEG: empty quantisation table";
}

/* DHT: one or more tables: class/id, 16 counts, that many values. */
static const char *
jpeg_dht(const unsigned char *s, size_t n)
{
	size_t i = 0, k, sum;

	while (i < n) {
		if (s[i] >> 4 > 1 || (s[i] & 0x0f) > 3 || n - i < 17)
			return "not a valid JPEG: bad Huffman table";
		for (sum = 0, k = 1; k <= 16; k++)
			sum += s[i + k];
		if (sum > 256 || n - i - 17 < sum)
			return "not a valid JPEG: bad Huffman table";
		i += 17 + sum;
	}
	return n > 0 ? NULL : "not a valid JPEG: empty Huffman table";
}

/* SOFn: precision, height, width, and 1-4 components. */
static const char *
jpeg_sof(unsigned m, const unsigned char *s, size_t n)
{
	size_t nf, k;
	int lossless = m == 0xc3 || m == 0xcb;

	if (n < 6)
		return "not a valid JPEG: short frame header";
	nf = s[5];
	if (nf < 1 || nf > 4 || n != 6 + 3 * nf)
		return "not a valid JPEG: bad frame header";
	if (lossless ? s[0] < 2 || s[0] > 16 : s[0] != 8 && s[0] != 12)
		return "not a valid JPEG: bad sample precision";
	if (!size_ok(be16(s + 3), be16(s + 1)))
		return "not a valid JPEG: image size out of range";
	for (k = 0; k < nf; k++) {
		unsigned hv = s[6 + 3 * k + 1];

		if (hv >> 4 < 1 || hv >> 4 > 4 || (hv & 0x0f) < 1 ||
		    (hv & 0x0f) > 4 || s[6 + 3 * k + 2] > 3)
			return "not a valid JPEG: bad frame component";
	}
	return NULL;
}

/* Past a scan's entropy-coded data: to the first marker that is not RSTn. */
static size_t
jpeg_skip_scan(const unsigned char *b, size_t i, size_t n)
{
	while (i + 1 < n) {
		if (b[i] != 0xff) {
			i++;
			continue;
		}
		/* FF00 is a stuffed FF, FFD0-FFD7 restart markers, FFFF fill. */
		if (b[i + 1] == 0x00 || (b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7))
			i += 2;
		else if (b[i + 1] == 0xff)
			i++;
		else
			return i;
	}
	return n;
}

const char *
image_jpeg_check(const unsigned char *b, size_t n)
{
	const char *why = NULL;
	size_t i = 2, len;
	int frame = 0, scans = 0;
	unsigned m;

	if (n < 3 || b[0] != 0xff || b[1] != 0xd8 || b[2] != 0xff)
		return IMAGE_MISMATCH;
	for (;;) {
		if (i >= n)
			return "not a valid JPEG: no end of image (EOI)";
		if (b[i] != 0xff)
			return "not a valid JPEG: expected a marker";
		while (i < n && b[i] == 0xff)
			i++;
		if (i >= n)
			return "not a valid JPEG: no end of image (EOI)";
		m = b[i++];
		if (m == 0xd9) {		/* EOI */
			if (scans == 0)
				return "not a valid JPEG: no image data";
			return i == n ? NULL :
			    "not a valid JPEG: data after the end of the image";
		}
		if (m == 0x00 || m == 0x01 || (m >= 0xd0 && m <= 0xd8))
			return "not a valid JPEG: marker out of place";
		if (n - i < 2 || (len = be16(b + i)) < 2 || n - i < len)
			return "not a valid JPEG: segment runs past the end";
		switch (m) {
		case 0xc0: case 0xc1: case 0xc2: case 0xc3:
		case 0xc5: case 0xc6: case 0xc7:
		case 0xc9: case 0xca: case 0xcb:
		case 0xcd: case 0xce: case 0xcf:
			if (frame)
				return "not a valid JPEG: more than one frame";
			why = jpeg_sof(m, b + i + 2, len - 2);
			frame = 1;
			break;
		case 0xc4:
			why = jpeg_dht(b + i + 2, len - 2);
			break;
		case 0xdb:
			why = jpeg_dqt(b + i + 2, len - 2);
			break;
		case 0xdd:			/* DRI */
			if (len != 4)
				why = "not a valid JPEG: bad restart interval";
			break;
		case 0xcc:			/* DAC */
			if ((len - 2) % 2 != 0)
				why = "not a valid JPEG: bad arithmetic table";
			break;
		case 0xda:			/* SOS */
			if (!frame)
				return "not a valid JPEG: scan before the frame header";
			if (len < 3 || b[i + 2] < 1 || b[i + 2] > 4 ||
			    len != 6 + 2 * (size_t)b[i + 2])
				return "not a valid JPEG: bad scan header";
			i = jpeg_skip_scan(b, i + len, n);
			scans++;
			continue;
		case 0xfe:			/* COM */
			break;
		default:
			if (m >= 0xe0 && m <= 0xef)	/* APPn */
				break;
			return "not a valid JPEG: unsupported marker";
		}
		if (why != NULL)
			return why;
		i += len;
	}
}

/* ---- PNG (ISO/IEC 15948) ---------------------------------------------------- */

uint32_t
image_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	/* A nibble at a time: 16 entries of the reflected 0xEDB88320. */
	static const uint32_t t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};

	crc = ~crc;
	while (n-- > 0) {
		crc = t[(crc ^ *p) & 0x0f] ^ (crc >> 4);
		crc = t[(crc ^ (*p++ >> 4)) & 0x0f] ^ (crc >> 4);
	}
	return ~crc;
}

static int
chunk_is(const unsigned char *type, const char *name)
{
	return memcmp(type, name, 4) == 0;
}

/* IHDR: size, and a bit depth the colour type allows. */
static const char *
png_ihdr(const unsigned char *d, size_t len, int *colour)
{
	unsigned depth;

	if (len != 13)
		return "not a valid PNG: bad IHDR";
	depth = d[8];
	if (!size_ok(be32(d), be32(d + 4)) || be32(d) > 0x7fffffff ||
	    be32(d + 4) > 0x7fffffff)
		return "not a valid PNG: image size out of range";
	*colour = d[9];
	switch (*colour) {
	case 0:
		if (depth != 1 && depth != 2 && depth != 4 && depth != 8 &&
		    depth != 16)
			return "not a valid PNG: bad bit depth";
		break;
	case 3:
		if (depth != 1 && depth != 2 && depth != 4 && depth != 8)
			return "not a valid PNG: bad bit depth";
		break;
	case 2: case 4: case 6:
		if (depth != 8 && depth != 16)
			return "not a valid PNG: bad bit depth";
		break;
	default:
		return "not a valid PNG: bad colour type";
	}
	if (d[10] != 0 || d[11] != 0 || d[12] > 1)
		return "not a valid PNG: bad compression, filter or interlace";
	return NULL;
}

const char *
image_png_check(const unsigned char *b, size_t n)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a,
	    0x1a, 0x0a };
	const unsigned char *type, *data;
	const char *why;
	size_t i = sizeof(sig), len, k;
	int ihdr = 0, plte = 0, idat = 0, colour = 0;	/* idat 2: run over */

	if (n < sizeof(sig) || memcmp(b, sig, sizeof(sig)) != 0)
		return IMAGE_MISMATCH;
	for (;;) {
		if (n - i < 12)
			return i == n ? "not a valid PNG: no IEND" :
			    "not a valid PNG: chunk runs past the end";
		len = be32(b + i);
		if (len > 0x7fffffff || n - i - 12 < len)
			return "not a valid PNG: chunk runs past the end";
		type = b + i + 4;
		data = b + i + 8;
		for (k = 0; k < 4; k++)
			if (!((type[k] >= 'A' && type[k] <= 'Z') ||
			    (type[k] >= 'a' && type[k] <= 'z')))
				return "not a valid PNG: bad chunk type";
		if ((type[2] & 0x20) != 0)
			return "not a valid PNG: bad chunk type";
		if (image_crc32(0, type, len + 4) != be32(data + len))
			return "not a valid PNG: chunk CRC mismatch";
		if (!ihdr && !chunk_is(type, "IHDR"))
			return "not a valid PNG: IHDR is not the first chunk";
		if (chunk_is(type, "IHDR")) {
			if (ihdr)
				return "not a valid PNG: IHDR twice";
			if ((why = png_ihdr(data, len, &colour)) != NULL)
				return why;
			ihdr = 1;
		} else if (chunk_is(type, "PLTE")) {
			if (plte || idat)
				return "not a valid PNG: PLTE out of place";
			if (colour == 0 || colour == 4 || len == 0 ||
			    len % 3 != 0 || len > 3 * 256)
				return "not a valid PNG: bad PLTE";
			plte = 1;
		} else if (chunk_is(type, "IDAT")) {
			if (idat == 2)
				return "not a valid PNG: IDAT chunks apart";
			if (colour == 3 && !plte)
				return "not a valid PNG: palette image without PLTE";
			idat = 1;
		} else if (chunk_is(type, "IEND")) {
			if (len != 0 || !idat)
				return !idat ? "not a valid PNG: no image data" :
				    "not a valid PNG: bad IEND";
			return i + 12 == n ? NULL :
			    "not a valid PNG: data after IEND";
		} else if ((type[0] & 0x20) == 0)
			return "not a valid PNG: unknown critical chunk";
		if (idat == 1 && !chunk_is(type, "IDAT"))
			idat = 2;
		i += 12 + len;
	}
}

/* ---- PDF (ISO 32000) -------------------------------------------------------- */

static int
pdf_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\0';
}

static int
pdf_delim(unsigned char c)
{
	return pdf_space(c) || strchr("()<>[]{}/%", c) != NULL;
}

static const unsigned char *
find(const unsigned char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	return n < k ? NULL : memmem(h, n, needle, k);
}

/*
 * Names that make a document act when opened (scripts, launching
 * programs, embedded files, forms that submit or fetch), spelled plainly
 * or with #xx escapes. An identity document needs none of them. Stream
 * contents (compressed or binary) are skipped, "stream" to "endstream".
 */
static const char *
pdf_active(const unsigned char *b, size_t n)
{
	static const char *const active[] = { "JavaScript", "JS", "Launch",
	    "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA", "GoToE",
	    "SubmitForm", "ImportData", NULL };
	const char *const *a;
	const unsigned char *e;
	char name[16];
	size_t i = 0, k;
	int hi, lo;

	while (i < n) {
		if (b[i] == 's' && n - i > 6 && memcmp(b + i, "stream", 6) == 0 &&
		    (i == 0 || pdf_delim(b[i - 1])) &&
		    (b[i + 6] == '\r' || b[i + 6] == '\n')) {
			if ((e = find(b + i + 6, n - i - 6, "endstream")) == NULL)
				return "not a valid PDF: unterminated stream";
			i = (size_t)(e - b) + 9;
			continue;
		}
		if (b[i++] != '/')
			continue;
		for (k = 0; i < n && !pdf_delim(b[i]); i++, k++) {
			unsigned char c = b[i];

			if (c == '#' && n - i >= 3 && (hi = util_hexval(b[i + 1])) >= 0 &&
			    (lo = util_hexval(b[i + 2])) >= 0) {
				c = (unsigned char)(hi << 4 | lo);
				i += 2;
			}
			if (k < sizeof(name) - 1)
				name[k] = (char)c;
		}
		if (k >= sizeof(name))
			continue;
		name[k] = '\0';
		for (a = active; *a != NULL; a++)
			if (strcmp(name, *a) == 0)
				return "PDF with active content (scripts, actions "
				    "or embedded files) is not accepted";
	}
	return NULL;
}

const char *
image_pdf_check(const unsigned char *b, size_t n)
{
	const unsigned char *sx, *p;
	size_t end, off, digits;

	if (n < 5 || memcmp(b, "%PDF-", 5) != 0)
		return IMAGE_MISMATCH;
	if (n < 9 || !((b[5] == '1' && b[6] == '.' && b[7] >= '0' &&
	    b[7] <= '7') || (b[5] == '2' && b[6] == '.' && b[7] == '0')) ||
	    (b[8] != '\r' && b[8] != '\n'))
		return "not a valid PDF: bad header (%PDF-1.0 to 2.0)";
	/* The last thing in the file: %%EOF and at most an end of line. */
	end = n;
	if (b[end - 1] == '\n')
		end--;
	if (b[end - 1] == '\r')
		end--;
	if (end < 5 || memcmp(b + end - 5, "%%EOF", 5) != 0)
		return "not a valid PDF: does not end with %%EOF";
	/* Before it: startxref, the offset of a cross-reference section. */
	sx = NULL;
	for (p = b; (p = find(p, (size_t)(b + end - 5 - p), "startxref")) != NULL;
	    p++)
		sx = p;
	if (sx == NULL)
		return "not a valid PDF: no startxref";
	p = sx + 9;
	while (p < b + end - 5 && pdf_space(*p))
		p++;
	for (off = 0, digits = 0; p < b + end - 5 && *p >= '0' && *p <= '9';
	    p++, digits++) {
		if (digits == 10)
			return "not a valid PDF: bad startxref";
		off = off * 10 + (size_t)(*p - '0');
	}
	while (p < b + end - 5 && pdf_space(*p))
		p++;
	if (digits == 0 || p != b + end - 5 || off < 9 || off >= n)
		return "not a valid PDF: bad startxref";
	/* A cross-reference table, or a stream's "N 0 obj" (PDF 1.5). */
	while (off < n && pdf_space(b[off]))
		off++;
	if (off == n || (!(n - off >= 4 && memcmp(b + off, "xref", 4) == 0) &&
	    !(b[off] >= '1' && b[off] <= '9')))
		return "not a valid PDF: startxref points nowhere";
	return pdf_active(b, end);
}

const char *
image_check(const char *ctype, const unsigned char *b, size_t n)
{
	if (strcmp(ctype, "image/jpeg") == 0)
		return image_jpeg_check(b, n);
	if (strcmp(ctype, "image/png") == 0)
		return image_png_check(b, n);
	if (strcmp(ctype, "application/pdf") == 0)
		return image_pdf_check(b, n);
	return IMAGE_MISMATCH;
}
