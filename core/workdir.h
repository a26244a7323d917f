/* Fresh working directories for runs (campaigns, minimization) and the
 * digest of what a run left in one, for the silent-corruption oracle. */
#ifndef FF_WORKDIR_H
#define FF_WORKDIR_H
#include <stdint.h>

/* Makes dir an empty directory, or a copy of template (regular files,
 * directories and symlinks, modes kept) when template is not NULL. Removes
 * whatever was at dir first. Returns 0 or -errno. */
int ff_workdir_fresh(const char *dir, const char *template_dir);
/* Removes dir and everything below it (never follows symlinks). Returns 0 or -errno. */
int ff_workdir_remove(const char *dir);

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
