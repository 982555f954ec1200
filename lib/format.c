/*
 * format.c - the segment layout: encode and validate its metadata
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A segment is [data][padding][extension record][trailer]; see
 * sharedarray(5) (man/sharedarray.5).  The trailer is the one SharedArray
 * 3.x reads at the very end of the segment, packed and native-endian:
 *
 *   char magic[16] = "[SharedArray]"; uint64 size; int32 typenum;
 *   int32 itemsize; int32 ndims; int64 dims[N];      N = 32 or 64
 *
 * We write N = 32 (what the numpy 1.x build of the original reads) and read
 * both.  Two places in it are ours, and no older reader looks at them: byte
 * 14, after the magic's NUL, holds flags (bit 0: transient); the last dims
 * slot, unused unless ndims = N, holds the generation counter of
 * sa_notify(3) (the low 32 bits first, the futex word, then the high 32).  What the trailer cannot say lives in the extension record, which
 * starts at the data size rounded up to 8 and ends where the trailer begins:
 *
 *   0  char   magic[8] = "[SAext]"     24 uint64 nbytes (= trailer size)
 *   8  uint32 version = 1              32 uint32 flags (bit 0: Fortran order)
 *   12 uint32 header_size = 48         36 uint32 dtype_len
 *   16 uint32 record_size              40 uint32 descr_len
 *   20 uint32 crc32 (field as 0)       44 char   mark[4] = "TRAN" or 0
 *   48 dtype string, NUL, [descr, NUL], zero padding to a multiple of 8
 *
 * Everything read here comes from a file another process controls: every
 * field is checked before it is used, and nothing is read outside TAIL.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "internal.h"

static const char trailer_magic[16] = "[SharedArray]";
static const char ext_magic[8] = "[SAext]";

#define EXT_FLAG_FORTRAN 0x1u
#define EXT_CRC_OFFSET 20
#define EXT_MARK_OFFSET 44

/*
 * A transient array says so twice: bit 0 of trailer byte 14 and this mark
 * in the record, under the record's CRC (libsharedarray 1.0 checks the CRC
 * and ignores the field).  Removal acts on the claim, so one stray byte
 * must not be enough to make an array removable.
 */
static const char ext_transient_mark[4] = { 'T', 'R', 'A', 'N' };

static uint64_t align8(uint64_t n)
{
	return (n + 7) & ~(uint64_t)7;
}

/* CRC-32 as in zlib and IEEE 802.3, four bits at a time. */
static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t len)
{
	static const uint32_t table[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ table[crc & 15];
		crc = (crc >> 4) ^ table[crc & 15];
	}
	return crc;
}

/* CRC of a record, its own crc field counted as zero. */
static uint32_t ext_crc(const unsigned char *rec, size_t len)
{
	static const unsigned char zero[4];
	uint32_t crc = ~0u;

	crc = crc32_update(crc, rec, EXT_CRC_OFFSET);
	crc = crc32_update(crc, zero, sizeof(zero));
	crc = crc32_update(crc, rec + EXT_CRC_OFFSET + 4, len - EXT_CRC_OFFSET - 4);
	return ~crc;
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static size_t ext_record_size(const struct sa_meta *meta)
{
	size_t payload = strlen(meta->dtype.str) + 1;

	if (meta->descr)
		payload += meta->descr_len + 1;
	return (size_t)align8(SA_EXT_HEADER_SIZE + payload);
}

int sa_format_layout(const struct sa_meta *meta, uint64_t *metadata_offset,
                     size_t *metadata_size)
{
	const size_t size = ext_record_size(meta) + SA_TRAILER_SIZE(SA_TRAILER_DIMS_V1);

	/* Segments are files: the total must fit in off_t. */
	if (meta->nbytes > (uint64_t)INT64_MAX - size - 7)
		return -EOVERFLOW;
	*metadata_offset = align8(meta->nbytes);
	*metadata_size = size;
	return 0;
}

static void encode_ext(const struct sa_meta *meta, unsigned char *rec, size_t len)
{
	const size_t dtype_len = strlen(meta->dtype.str);

	memcpy(rec, ext_magic, sizeof(ext_magic));
	put32(rec + 8, SA_EXT_VERSION);
	put32(rec + 12, SA_EXT_HEADER_SIZE);
	put32(rec + 16, (uint32_t)len);
	put64(rec + 24, meta->nbytes);
	put32(rec + 32, meta->order == 'F' ? EXT_FLAG_FORTRAN : 0);
	put32(rec + 36, (uint32_t)dtype_len);
	put32(rec + 40, meta->descr ? (uint32_t)meta->descr_len : 0);
	if (meta->trailer_flags & SA_TRAILER_FLAG_TRANSIENT)
		memcpy(rec + EXT_MARK_OFFSET, ext_transient_mark, sizeof(ext_transient_mark));
	memcpy(rec + SA_EXT_HEADER_SIZE, meta->dtype.str, dtype_len);
	if (meta->descr)
		memcpy(rec + SA_EXT_HEADER_SIZE + dtype_len + 1, meta->descr,
		       meta->descr_len);
	put32(rec + EXT_CRC_OFFSET, ext_crc(rec, len));
}

static void encode_trailer(const struct sa_meta *meta, unsigned char *t)
{
	memcpy(t, trailer_magic, sizeof(trailer_magic));
	t[SA_TRAILER_FLAGS_OFFSET] = (unsigned char)meta->trailer_flags;
	put64(t + 16, meta->nbytes);
	put32(t + 24, (uint32_t)meta->dtype.typenum);
	put32(t + 28, (uint32_t)meta->dtype.itemsize);
	put32(t + 32, (uint32_t)meta->ndim);
	for (int i = 0; i < meta->ndim; i++)
		put64(t + SA_TRAILER_HEAD + 8 * (size_t)i, (uint64_t)meta->shape[i]);
}

void sa_format_encode(const struct sa_meta *meta, unsigned char *buf, size_t len)
{
	const size_t trailer = SA_TRAILER_SIZE(SA_TRAILER_DIMS_V1);

	memset(buf, 0, len);
	encode_ext(meta, buf, len - trailer);
	encode_trailer(meta, buf + len - trailer);
}

static bool magic_at(const unsigned char *tail, size_t tail_len, size_t trailer)
{
	/* The original compares with strncmp: bytes after the NUL are free. */
	return tail_len >= trailer &&
	       memcmp(tail + tail_len - trailer, trailer_magic, strlen(trailer_magic) + 1) == 0;
}

bool sa_format_has_magic(const unsigned char *tail, size_t tail_len)
{
	return magic_at(tail, tail_len, SA_TRAILER_SIZE(SA_TRAILER_DIMS_V1)) ||
	       magic_at(tail, tail_len, SA_TRAILER_SIZE(SA_TRAILER_DIMS_V2));
}

/* The trailer's own fields: dims, dtype, and a size that dims agree with. */
static int decode_trailer(const unsigned char *t, int max_dims, uint64_t room,
                          struct sa_meta *meta)
{
	const int32_t ndims = (int32_t)get32(t + 32);
	uint64_t count = 1, nbytes;

	meta->nbytes = get64(t + 16);
	meta->trailer_dims = max_dims;
	meta->trailer_flags = t[SA_TRAILER_FLAGS_OFFSET] & SA_TRAILER_FLAG_TRANSIENT;
	if (meta->nbytes > room || ndims < 0 || ndims > max_dims)
		return -EBADMSG;
	if (sa_dtype_from_trailer((int32_t)get32(t + 24), (int32_t)get32(t + 28),
	                          &meta->dtype) < 0)
		return -EBADMSG;
	meta->ndim = ndims;
	for (int i = 0; i < ndims; i++) {
		const int64_t dim = (int64_t)get64(t + SA_TRAILER_HEAD + 8 * (size_t)i);

		if (dim < 0 || (uint64_t)dim > SIZE_MAX ||
		    __builtin_mul_overflow(count, (uint64_t)dim, &count))
			return -EBADMSG;
		meta->shape[i] = (size_t)dim;
	}
	if (__builtin_mul_overflow(count, (uint64_t)meta->dtype.itemsize, &nbytes) ||
	    nbytes != meta->nbytes)
		return -EBADMSG;
	return 0;
}

/* Read a NUL-terminated string of LEN bytes at P with no NUL inside. */
static bool string_ok(const unsigned char *p, size_t len)
{
	return memchr(p, '\0', len) == NULL && p[len] == '\0';
}

/* Returns 0, -EBADMSG, or 1 when REC is not an extension record at all. */
static int decode_ext(const unsigned char *rec, size_t len, struct sa_meta *meta)
{
	const uint32_t header = get32(rec + 12), flags = get32(rec + 32);
	const uint32_t dtype_len = get32(rec + 36), descr_len = get32(rec + 40);
	const unsigned char *payload;
	struct sa_dtype dtype;

	if (memcmp(rec, ext_magic, sizeof(ext_magic)) != 0)
		return 1;
	if (get32(rec + 8) != SA_EXT_VERSION || get32(rec + 16) != len ||
	    get32(rec + EXT_CRC_OFFSET) != ext_crc(rec, len) ||
	    get64(rec + 24) != meta->nbytes || (flags & ~EXT_FLAG_FORTRAN))
		return -EBADMSG;
	if ((memcmp(rec + EXT_MARK_OFFSET, ext_transient_mark, sizeof(ext_transient_mark)) == 0) !=
	    ((meta->trailer_flags & SA_TRAILER_FLAG_TRANSIENT) != 0))
		return -EBADMSG;
	if (header < SA_EXT_HEADER_SIZE || header % 8 || dtype_len == 0 ||
	    dtype_len >= SA_DTYPE_STR_MAX || descr_len > SA_DESCR_MAX ||
	    (uint64_t)header + dtype_len + 1 + (descr_len ? descr_len + 1 : 0) > len)
		return -EBADMSG;
	payload = rec + header;
	if (!string_ok(payload, dtype_len) ||
	    sa_dtype_parse((const char *)payload, &dtype) < 0 ||
	    !sa_dtype_matches_trailer(&dtype, meta->dtype.typenum,
	                              (int32_t)meta->dtype.itemsize))
		return -EBADMSG;
	if (descr_len && (dtype.str[1] != 'V' ||
	                  !string_ok(payload + dtype_len + 1, descr_len)))
		return -EBADMSG;
	meta->dtype = dtype;
	meta->order = (flags & EXT_FLAG_FORTRAN) ? 'F' : 'C';
	meta->format = SA_EXT_VERSION;
	if (descr_len) {
		meta->descr = (const char *)payload + dtype_len + 1;
		meta->descr_len = descr_len;
	}
	return 0;
}

/* The counter as it reads now: the low word, then the high word, at the end. */
static void decode_generation(const unsigned char *tail, size_t tail_len, struct sa_meta *meta)
{
	meta->has_generation = sa_format_generation_offset(meta->ndim, meta->trailer_dims,
	                                                   meta->segment_size) >= 0;
	if (meta->has_generation)
		meta->generation = (uint64_t)get32(tail + tail_len - 4) << 32 |
		                   get32(tail + tail_len - 8);
}

/* Only the original layout: a transient array always has a record. */
static long no_record(const struct sa_meta *meta)
{
	return (meta->trailer_flags & SA_TRAILER_FLAG_TRANSIENT) ? -EBADMSG : 0;
}

static long decode_layout(const unsigned char *tail, size_t tail_len,
                          uint64_t file_size, int max_dims, struct sa_meta *meta)
{
	const size_t trailer = SA_TRAILER_SIZE(max_dims);
	const uint64_t room = file_size - trailer;  /* bytes before the trailer */
	uint64_t ext_off;
	int ret;

	memset(meta, 0, sizeof(*meta));
	meta->order = 'C';
	meta->segment_size = file_size;
	ret = decode_trailer(tail + tail_len - trailer, max_dims, room, meta);
	if (ret < 0)
		return ret;
	decode_generation(tail, tail_len, meta);
	ext_off = align8(meta->nbytes);
	/* No room for a record: the original layout (maybe with slack). */
	if (ext_off > room || room - ext_off < SA_EXT_HEADER_SIZE ||
	    room - ext_off > SA_EXT_MAX)
		return no_record(meta);
	if (file_size - ext_off > tail_len)
		return (long)(file_size - ext_off);
	ret = decode_ext(tail + tail_len - (file_size - ext_off),
	                 (size_t)(room - ext_off), meta);
	return ret > 0 ? no_record(meta) : ret;
}

long sa_format_decode(const unsigned char *tail, size_t tail_len,
                      uint64_t file_size, struct sa_meta *meta)
{
	static const int layouts[] = { SA_TRAILER_DIMS_V1, SA_TRAILER_DIMS_V2 };

	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		long ret;

		if (tail_len > file_size ||
		    !magic_at(tail, tail_len, SA_TRAILER_SIZE(layouts[i])))
			continue;
		ret = decode_layout(tail, tail_len, file_size, layouts[i], meta);
		if (ret != -EBADMSG)
			return ret;
	}
	return -EBADMSG;
}

long long sa_format_generation_offset(int ndim, int trailer_dims, uint64_t segment_size)
{
	if (ndim >= trailer_dims || segment_size % 4 != 0 ||
	    segment_size < (uint64_t)SA_TRAILER_SIZE(trailer_dims) ||
	    segment_size > (uint64_t)LLONG_MAX)
		return -ENOTSUP;
	return (long long)segment_size - 8;
}
