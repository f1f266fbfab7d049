#ifndef FISHEROPT_TOOLS_OUTPUT_FILE_H_
#define FISHEROPT_TOOLS_OUTPUT_FILE_H_

#include <string>
#include <vector>

namespace fisheropt {

// The files the `fisheropt` command writes (fit --json and --trace, the CSV
// traces, gnuplot inputs and index.md of compare --out), and the check that
// an output never names an input or another output.

// Writes `text` to `path` so that, whenever the process stops (an error, a
// SIGTERM, a SIGKILL, a full disk), `path` holds either its previous
// contents (or does not exist, if it did not) or the complete `text`:
//
//  - A regular file, or a name that does not exist yet: the text goes to a
//    new temporary file in the same folder, named
//        .<name>.fisheropt-tmp.XXXXXX    (mkstemp; <name> cut to 200 bytes)
//    with every write(2) checked (short writes continued, EINTR retried),
//    then fsync(2) and a checked close(2), then rename(2) over `path`, which
//    replaces it atomically (same folder, so the same file system); the
//    folder is fsync'ed after the rename (errors there are ignored: some
//    file systems cannot). The new file gets the old file's permission
//    bits, or 0666 minus the umask for a new name, as open(2) would give.
//    On any failure the temporary file is removed and `path` is untouched.
//    Only a SIGKILL or a power cut between mkstemp and rename leaves a
//    temporary file behind, recognizable by its name.
//  - A symbolic link: resolved first (realpath), so the file it points to
//    is replaced and the link is kept. A dangling link is an error.
//  - A file that cannot be replaced by renaming: an existing character
//    device (/dev/null, /dev/full, a terminal), FIFO or socket, and any path
//    under /dev/ or /proc/ (/dev/stdout, /dev/fd/N name an open descriptor
//    whose file must not be swapped for another): opened O_WRONLY|O_TRUNC
//    (never created) and written directly, every write and the close
//    checked. Such a write is not atomic; a reader of a FIFO sees the text
//    as it comes.
//  - A folder: an error ("Is a directory").
//
// A file with several hard links is replaced under the given name only; its
// other names keep the old contents.
//
// Returns false with a one-line message naming the path and the system's
// reason, e.g. "cannot write '/dev/full': No space left on device".
bool WriteFileAtomically(const std::string& path, const std::string& text,
                         std::string* error);

// The prefix and marker of WriteFileAtomically's temporary files for
// `path`: a file of path's folder whose name starts with
// TemporaryFilePrefix(path) is one of ours (a leftover after a SIGKILL).
std::string TemporaryFilePrefix(const std::string& path);

// A file named on the command line, with the option that named it.
struct FileArgument {
  std::string option;  // "--data", "--json", ...
  std::string path;
};

// True when two paths name the same file: for existing files, the same
// device and inode (stat(2), following symbolic links, so a hard link, a
// symlink or "./a/../a" is the same file); for a path that does not exist
// yet, the same absolute, lexically normalized path with its existing
// leading folders resolved (std::filesystem::weakly_canonical), so "out.json"
// and "./x/../out.json" are the same future file.
bool IsSameFile(const std::string& a, const std::string& b);

// Checks the output files of a command before any work is done. Returns
// false with a one-line message when an output
//   - is the same file as an input ("--json 'd.csv' is the same file as
//     --data 'd.csv'"), which the run would overwrite,
//   - is the same file as another output ("--trace 'o' is the same file as
//     --json 'o'"), where one would silently replace the other,
//   - is an existing folder, or a new name in a folder that does not exist,
//     where the write at the end of the run would fail.
// Outputs that exist and are not regular files (a character device such as
// /dev/null or /dev/stdout, a FIFO, a socket) are exempt from the identity
// checks: writing to them replaces nothing, and /dev/stdout and
// /dev/stderr are often the same terminal. Empty paths are skipped (an
// option not given); the command line refuses an empty file name itself.
bool CheckOutputFiles(const std::vector<FileArgument>& inputs,
                      const std::vector<FileArgument>& outputs,
                      std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_OUTPUT_FILE_H_
