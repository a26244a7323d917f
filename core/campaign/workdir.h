/* Fresh working directories for runs (campaigns, minimization) and the
 * digest of what a run left in one, for the silent-corruption oracle. */
#ifndef FF_WORKDIR_H
#define FF_WORKDIR_H
#include <stddef.h>
#include <stdint.h>

/* Makes dir an empty directory, or a copy of template (regular files,
 * directories and symlinks, modes kept) when template is not NULL. Removes
 * whatever was at dir first. Returns 0 or -errno. */
int ff_workdir_fresh(const char *dir, const char *template_dir);
/* Removes dir and everything below it (never follows symlinks). Returns 0 or -errno. */
int ff_workdir_remove(const char *dir);

/* One entry of what a run left: a relative path ("" for the program's
 * stdout), its type, a value (content hash, symlink target hash, or the errno
 * when it could not be read) and, for files, the size. flags are the
 * reference's (core/campaign/outputs.h): what varies between fault-free runs. */
enum {
	FF_ME_STDOUT = 's',
	FF_ME_FILE = 'f',
	FF_ME_DIR = 'd',
	FF_ME_LINK = 'l',
	FF_ME_OTHER = 'o',
	FF_ME_ERROR = 'e', /* val is the errno: differs from any readable state */
};
struct ff_mentry {
	char *rel;
	uint8_t type, flags;
	uint64_t val, size;
};
struct ff_manifest {
	struct ff_mentry *v; /* sorted by rel, then type */
	size_t n;
};

/* The manifest of dir (and of the stdout file extra, if not NULL), with
 * the ignore globs and limits of ff_digest_dir. Returns 0 or -errno. */
int ff_manifest_dir(const char *dir, char *const *ignore, int nignore, const char *extra, struct ff_manifest *out);
void ff_manifest_free(struct ff_manifest *m);
/* The digest ff_digest_dir gives for the same tree. */
uint64_t ff_manifest_digest(const struct ff_manifest *m);

/* The digest of a run's output: XXH64 over the sorted list of (relative
 * path, XXH64 of content) for every regular file below dir whose relative
 * path matches none of the ignore globs (fnmatch without FNM_PATHNAME; a
 * glob without '/' also matches the basename), plus the content of the file
 * extra (the program's stdout) if not NULL. Symlinks count by their target
 * text, directories and other types by name; an unreadable entry counts by
 * its errno, so it still differs from a readable one. Trees deeper than 256
 * levels give -ELOOP; a missing extra file is an error. Returns 0 or -errno. */
int ff_digest_dir(const char *dir, char *const *ignore, int nignore, const char *extra, uint64_t *out);

#endif
