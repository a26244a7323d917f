/* crcfile FILE OUT: FILE ends with the CRC-32 of what comes before it (4
 * bytes, little-endian); the program reads it, checks the CRC and copies
 * the data to OUT only when it matches: damage is reported, exit 3. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return ~c;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (argc > 3) { /* crcfile FILE SIZE gen: makes a FILE of SIZE data bytes */
		size_t n = (size_t)atol(argv[2]);
		unsigned char *d = malloc(n + 4);
		for (size_t i = 0; i < n; i++)
			d[i] = (unsigned char)(i * 7 + i / 13);
		uint32_t c = crc32(d, n);
		for (int i = 0; i < 4; i++)
			d[n + i] = (unsigned char)(c >> (8 * i));
		FILE *f = fopen(argv[1], "w");
		return f && fwrite(d, 1, n + 4, f) == n + 4 && !fclose(f) ? 0 : 1;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 1;
	static unsigned char d[1 << 20];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof(d) && (n = read(fd, d + len, 4096)) > 0)
		len += (size_t)n;
	close(fd);
	if (len < 4)
		return 1;
	uint32_t want = 0;
	for (int i = 0; i < 4; i++)
		want |= (uint32_t)d[len - 4 + i] << (8 * i);
	if (crc32(d, len - 4) != want) {
		fprintf(stderr, "crcfile: %s: checksum mismatch\n", argv[1]);
		return 3;
	}
	FILE *f = fopen(argv[2], "w");
	return f && fwrite(d, 1, len - 4, f) == len - 4 && !fclose(f) ? 0 : 1;
}
