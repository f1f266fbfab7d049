#include "tools/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fisheropt {
namespace {

// The longest part of the target's name kept in a temporary file's name, so
// that ".<name>.fisheropt-tmp.XXXXXX" stays within NAME_MAX (255).
constexpr size_t kMaxNameInTemporary = 200;

// A path as it appears in a one-line message: control characters (a
// newline in a file name) are escaped.
std::string Shown(const std::string& path) {
  std::string shown;
  for (const char c : path) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      shown += escaped;
    } else {
      shown += c;
    }
  }
  return "'" + shown + "'";
}

bool Fail(const std::string& path, int error_number, std::string* error) {
  *error = "cannot write " + Shown(path) + ": " + std::strerror(error_number);
  return false;
}

// Writes all of `text`; returns 0 or the errno of the failed write.
int WriteAll(int fd, const std::string& text) {
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (written == 0) return EIO;  // no progress and no error: give up
    data += written;
    left -= static_cast<size_t>(written);
  }
  return 0;
}

// close(2) reports deferred write errors (NFS, quotas). On Linux the
// descriptor is released even when close fails with EINTR, so it is never
// retried, and EINTR is not a write error.
int Close(int fd) {
  if (::close(fd) != 0 && errno != EINTR) return errno;
  return 0;
}

// Paths that name an open descriptor rather than a file: replacing the file
// behind /dev/stdout (a shell redirection to out.txt) would detach it from
// the process's own standard output.
bool NamesADescriptor(const std::string& path) {
  std::error_code code;
  const std::string normal =
      std::filesystem::absolute(path, code).lexically_normal().string();
  if (code) return false;
  return normal == "/dev/stdout" || normal == "/dev/stderr" ||
         normal == "/dev/stdin" || normal.rfind("/dev/fd/", 0) == 0 ||
         normal.rfind("/proc/", 0) == 0;
}

// A character device, FIFO, socket or descriptor path: opened, never
// created, and written in place.
bool WriteInPlace(const std::string& path, const std::string& text,
                  std::string* error) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return Fail(path, errno, error);
  const int write_error = WriteAll(fd, text);
  const int close_error = Close(fd);
  if (write_error != 0) return Fail(path, write_error, error);
  if (close_error != 0) return Fail(path, close_error, error);
  return true;
}

// The permission bits open(2) gives a new file: 0666 minus the umask. The
// umask can only be read by setting it; the two calls leave it unchanged
// (the command writes its files after the parallel work is done).
mode_t NewFileMode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

void SyncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // durability only; some file systems refuse (EINVAL)
  ::close(fd);
}

// `target` is a regular file or a name that does not exist; `shown` is the
// path the user gave (for messages). `old` is target's stat when it exists.
bool WriteByRename(const std::string& target, const std::string& shown,
                   const std::string& text, const struct stat* old,
                   std::string* error) {
  const std::filesystem::path target_path(target);
  std::string folder = target_path.parent_path().string();
  if (folder.empty()) folder = ".";
  std::string name_template =
      folder + "/" + TemporaryFilePrefix(target) + "XXXXXX";
  const int fd = ::mkostemp(name_template.data(), O_CLOEXEC);
  if (fd < 0) return Fail(shown, errno, error);
  const std::string temporary = name_template;
  auto fail = [&](int error_number) {
    ::unlink(temporary.c_str());
    return Fail(shown, error_number, error);
  };
  // Best effort, as `cp` without -p: the old file's permission bits (and,
  // for root, its owner); a file system without modes refuses, harmlessly.
  if (old != nullptr) {
    (void)::fchown(fd, old->st_uid, old->st_gid);
    (void)::fchmod(fd, old->st_mode & 07777);
  } else {
    (void)::fchmod(fd, NewFileMode());
  }
  const int write_error = WriteAll(fd, text);
  if (write_error != 0) {
    ::close(fd);
    return fail(write_error);
  }
  if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
    const int sync_error = errno;
    ::close(fd);
    return fail(sync_error);
  }
  const int close_error = Close(fd);
  if (close_error != 0) return fail(close_error);
  if (::rename(temporary.c_str(), target.c_str()) != 0) return fail(errno);
  SyncFolder(folder);
  return true;
}

// Absolute first: weakly_canonical leaves a relative path relative when
// none of its leading folders exists ("new.json").
std::string NormalizedPath(const std::string& path) {
  std::error_code code;
  const std::filesystem::path absolute =
      std::filesystem::absolute(path, code).lexically_normal();
  if (code) return path;
  const std::filesystem::path normal =
      std::filesystem::weakly_canonical(absolute, code);
  return code ? absolute.string() : normal.string();
}

}  // namespace

std::string TemporaryFilePrefix(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  return "." + name.substr(0, kMaxNameInTemporary) + ".fisheropt-tmp.";
}

bool WriteFileAtomically(const std::string& path, const std::string& text,
                         std::string* error) {
  if (path.empty()) {
    *error = "cannot write a file with an empty name";
    return false;
  }
  if (NamesADescriptor(path)) return WriteInPlace(path, text, error);
  struct stat link_status;
  if (::lstat(path.c_str(), &link_status) != 0) {
    if (errno != ENOENT) return Fail(path, errno, error);
    return WriteByRename(path, path, text, nullptr, error);  // a new file
  }
  std::string target = path;
  struct stat status = link_status;
  if (S_ISLNK(link_status.st_mode)) {
    if (::stat(path.c_str(), &status) != 0) {
      const int error_number = errno;
      *error = "cannot write " + Shown(path) + ": " +
               std::strerror(error_number) +
               (error_number == ENOENT ? " (a dangling symbolic link)" : "");
      return false;
    }
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (resolved == nullptr) return Fail(path, errno, error);
    target = resolved;
    std::free(resolved);
  }
  if (S_ISDIR(status.st_mode)) return Fail(path, EISDIR, error);
  if (!S_ISREG(status.st_mode)) return WriteInPlace(path, text, error);
  return WriteByRename(target, path, text, &status, error);
}

bool IsSameFile(const std::string& a, const std::string& b) {
  struct stat status_a, status_b;
  const bool a_exists = ::stat(a.c_str(), &status_a) == 0;
  const bool b_exists = ::stat(b.c_str(), &status_b) == 0;
  if (a_exists && b_exists) {
    return status_a.st_dev == status_b.st_dev &&
           status_a.st_ino == status_b.st_ino;
  }
  if (a_exists != b_exists) return false;
  return NormalizedPath(a) == NormalizedPath(b);
}

bool CheckOutputFiles(const std::vector<FileArgument>& inputs,
                      const std::vector<FileArgument>& outputs,
                      std::string* error) {
  std::vector<const FileArgument*> checked;  // earlier regular outputs
  for (const FileArgument& output : outputs) {
    if (output.path.empty()) continue;
    const std::string named = output.option + " " + Shown(output.path);
    struct stat status;
    if (::stat(output.path.c_str(), &status) == 0) {
      if (S_ISDIR(status.st_mode)) {
        *error = named + " is a folder; give a file name";
        return false;
      }
      if (!S_ISREG(status.st_mode)) continue;  // a device, FIFO or socket
    } else {
      std::string folder =
          std::filesystem::path(output.path).parent_path().string();
      if (folder.empty()) folder = ".";
      struct stat folder_status;
      if (::stat(folder.c_str(), &folder_status) != 0 ||
          !S_ISDIR(folder_status.st_mode)) {
        *error = named + ": the folder " + Shown(folder) +
                 " does not exist or is not a folder";
        return false;
      }
    }
    for (const FileArgument& input : inputs) {
      if (!input.path.empty() && IsSameFile(output.path, input.path)) {
        *error = named + " is the same file as " + input.option + " " +
                 Shown(input.path) + "; refusing to overwrite an input";
        return false;
      }
    }
    for (const FileArgument* earlier : checked) {
      if (IsSameFile(output.path, earlier->path)) {
        *error = named + " is the same file as " + earlier->option + " " +
                 Shown(earlier->path) + "; give each output its own file";
        return false;
      }
    }
    checked.push_back(&output);
  }
  return true;
}

}  // namespace fisheropt
