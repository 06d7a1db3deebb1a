/* core/image.h — an uploaded file is what its content type says: JPEG, PNG and PDF checked by structure, not by their first bytes */
#ifndef HZM_IMAGE_H
#define HZM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Neither side of an image beyond this, nor more pixels than IMAGE_MAX_PIXELS. */
#define IMAGE_MAX_SIDE		16384
#define IMAGE_MAX_PIXELS	(64UL * 1024 * 1024)

/*
 * NULL when the n bytes at b are a whole, well-formed file of content
 * type ctype ("image/jpeg", "image/png", "application/pdf"), with nothing
 * before or after it; else why not. IMAGE_MISMATCH when they do not even
 * start as that type says.
 */
const char	*image_check(const char *ctype, const unsigned char *b, size_t n);

extern const char IMAGE_MISMATCH[];

/* The checks one by one (for tests and fuzzing). */
const char	*image_jpeg_check(const unsigned char *, size_t);
const char	*image_png_check(const unsigned char *, size_t);
const char	*image_pdf_check(const unsigned char *, size_t);
/* CRC-32 as PNG (and zlib) compute it. */
uint32_t	 image_crc32(uint32_t crc, const unsigned char *, size_t);

#endif
