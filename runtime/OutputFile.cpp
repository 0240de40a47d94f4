//===- OutputFile.cpp - how every tool writes a file ----------------------===//

#include "runtime/OutputFile.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <streambuf>
#include <sys/stat.h>
#include <unistd.h>

using namespace agtf::runtime;

namespace {

//===- The temporaries a signal or exit() removes -------------------------===//

// Fixed storage, so that the handler reads no heap and takes no lock. A
// temporary that finds no free slot is still removed on every other path.
constexpr int kSlots = 16;
enum SlotState : int { Free, Claimed, Live };
struct Slot {
  std::atomic<int> state{Free};
  char path[PATH_MAX];
};
Slot slots[kSlots];

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kNumSignals = sizeof(kSignals) / sizeof(kSignals[0]);
struct sigaction previous[kNumSignals];

void removeLiveTemporaries() {
  for (Slot &s : slots)
    if (s.state.load() == Live)
      ::unlink(s.path);
}

// Removes the temporaries, then does what the handler before ours would
// have done. Only async-signal-safe calls.
extern "C" void onSignal(int sig, siginfo_t *info, void *context) {
  removeLiveTemporaries();
  for (int i = 0; i < kNumSignals; ++i) {
    if (kSignals[i] != sig)
      continue;
    const struct sigaction &old = previous[i];
    if (old.sa_flags & SA_SIGINFO) {
      old.sa_sigaction(sig, info, context);
    } else if (old.sa_handler == SIG_DFL) {
      ::signal(sig, SIG_DFL);
      ::raise(sig); // delivered, and fatal, when this handler returns
    } else if (old.sa_handler != SIG_IGN) {
      old.sa_handler(sig);
    }
  }
}

/// Puts onSignal in front of each signal's handler, again whenever another
/// has replaced it since (a tool that installs its own after a first
/// output), so that the latest handler is the one passed on to.
void installCleanup() {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(removeLiveTemporaries); });
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  for (int i = 0; i < kNumSignals; ++i) {
    struct sigaction now;
    if (::sigaction(kSignals[i], nullptr, &now) != 0)
      continue;
    bool ours = (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == onSignal;
    if (ours || (!(now.sa_flags & SA_SIGINFO) && now.sa_handler == SIG_IGN))
      continue; // an ignored signal (nohup) stays ignored
    previous[i] = now;
    struct sigaction handler = {};
    handler.sa_sigaction = onSignal;
    handler.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&handler.sa_mask);
    (void)::sigaction(kSignals[i], &handler, nullptr);
  }
}

/// A slot holding `path`, or -1 when all are taken or the name is too long.
int claimSlot(const std::string &path) {
  if (path.size() >= PATH_MAX)
    return -1;
  installCleanup();
  for (int i = 0; i < kSlots; ++i) {
    int expected = Free;
    if (slots[i].state.compare_exchange_strong(expected, Claimed)) {
      std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
      slots[i].state.store(Live);
      return i;
    }
  }
  return -1;
}

void releaseSlot(int slot) {
  if (slot >= 0)
    slots[slot].state.store(Free);
}

//===----------------------------------------------------------------------===//

std::string cannotWrite(const std::string &path, const std::string &why) {
  return "cannot write '" + path + "': " + why;
}

/// The directory `path` is in, for messages.
std::string directoryOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// How `path` is to be written.
struct Plan {
  enum Kind { Replace, InPlace } kind = Replace;
  std::string destination;   // Replace: what the temporary is renamed onto
  bool exists = false;       // Replace: a file is there now
  struct stat existing = {}; // Replace: its owner and permission bits
};

/// How to write `path`; false, with `error` set, when it is refused.
bool planFor(const std::string &path, Plan &plan, std::string &error) {
  if (path.empty()) {
    error = "cannot write '': the name is empty";
    return false;
  }
  struct stat link;
  if (::lstat(path.c_str(), &link) != 0) {
    if (errno != ENOENT) {
      error = cannotWrite(path, std::strerror(errno));
      return false;
    }
    plan.destination = path; // a new file
    return true;
  }
  struct stat info = link;
  if (S_ISLNK(link.st_mode) && ::stat(path.c_str(), &info) != 0) {
    error = errno == ENOENT
                ? cannotWrite(path, "it is a symbolic link to a file that "
                                    "does not exist")
                : cannotWrite(path, std::strerror(errno));
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    error = cannotWrite(path, "it is a directory");
    return false;
  }
  if (!S_ISREG(info.st_mode)) {
    plan.kind = Plan::InPlace;
    return true;
  }
  // A file this process may not write stays as it is, although the rename
  // could replace it.
  if (::access(path.c_str(), W_OK) != 0) {
    error = cannotWrite(path, std::strerror(errno));
    return false;
  }
  plan.exists = true;
  plan.existing = info;
  plan.destination = path;
  if (S_ISLNK(link.st_mode)) {
    // Replace the file the link leads to, not the link.
    char *resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved) {
      error = cannotWrite(path, std::strerror(errno));
      return false;
    }
    plan.destination = resolved;
    std::free(resolved);
  }
  return true;
}

} // namespace

//===- OutputFile::StreamBuffer -------------------------------------------===//

/// Collects what a std::ostream writes and hands it to the file in blocks;
/// it reports success to the stream whatever the file says.
class OutputFile::StreamBuffer : public std::streambuf {
public:
  explicit StreamBuffer(OutputFile &file) : file(file) {
    setp(space, space + sizeof(space));
  }
  bool drain() {
    bool ok = file.writeDirect(pbase(), size_t(pptr() - pbase()));
    setp(space, space + sizeof(space));
    return ok;
  }

protected:
  int_type overflow(int_type c) override {
    drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    drain();
    return 0;
  }

private:
  OutputFile &file;
  char space[1 << 16];
};

//===- OutputFile ---------------------------------------------------------===//

std::unique_ptr<OutputFile> OutputFile::open(const std::string &path,
                                             std::string &error, Dash dash) {
  std::unique_ptr<OutputFile> file(new OutputFile());
  file->target = path;
  if (dash == Dash::IsStdout && path == "-") {
    file->fd = STDOUT_FILENO;
    file->closeFd = false;
    return file;
  }
  Plan plan;
  if (!planFor(path, plan, error))
    return nullptr;
  if (plan.kind == Plan::InPlace) {
    file->fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (file->fd < 0) {
      error = cannotWrite(path, std::strerror(errno));
      return nullptr;
    }
    return file;
  }
  // O_EXCL: never into a file that is not ours (another process's, or one
  // left by a killed run of the same pid); the next name then.
  std::string base = plan.destination + ".tmp." + std::to_string(::getpid());
  for (int attempt = 0; file->fd < 0; ++attempt) {
    std::string name =
        attempt == 0 ? base : base + "." + std::to_string(attempt);
    file->fd =
        ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (file->fd >= 0) {
      file->temporary = name;
    } else if (int e = errno; e != EEXIST || attempt == 100) {
      std::string why = std::strerror(e);
      if (e == EACCES || e == EROFS)
        why += " (in '" + directoryOf(plan.destination) + "')";
      error = cannotWrite(path, why);
      return nullptr;
    }
  }
  file->slot = claimSlot(file->temporary);
  file->destination = plan.destination;
  // A replaced file keeps its owner (where this process may give it) and
  // its permissions, as writing it in place would.
  if (plan.exists) {
    (void)!::fchown(file->fd, plan.existing.st_uid, plan.existing.st_gid);
    (void)::fchmod(file->fd, plan.existing.st_mode & 07777);
  }
  return file;
}

OutputFile::~OutputFile() {
  if (!done)
    discard();
}

const std::string &OutputFile::writtenPath() const {
  return temporary.empty() ? target : temporary;
}

std::string OutputFile::failure(int error) const {
  std::string why = std::strerror(error);
  if (!closeFd)
    return "cannot write to stdout: " + why;
  return cannotWrite(target, why);
}

std::string OutputFile::error() const {
  return firstError ? failure(firstError) : "";
}

bool OutputFile::writeDirect(const void *data, size_t size) {
  if (firstError || done)
    return false;
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      firstError = n < 0 ? errno : EIO;
      return false;
    }
    p += n;
    size -= size_t(n);
  }
  return true;
}

bool OutputFile::write(const void *data, size_t size) {
  // What stream() holds comes first.
  if (buffer && !buffer->drain())
    return false;
  return writeDirect(data, size);
}

std::ostream &OutputFile::stream() {
  if (!os) {
    buffer = std::make_unique<StreamBuffer>(*this);
    os = std::make_unique<std::ostream>(buffer.get());
  }
  return *os;
}

std::string OutputFile::commit() {
  if (done)
    return failure(EBADF);
  if (buffer)
    buffer->drain();
  done = true;
  int why = firstError;
  if (closeFd && ::close(fd) != 0 && !why)
    why = errno;
  fd = -1;
  if (!why && !temporary.empty() &&
      ::rename(temporary.c_str(), destination.c_str()) != 0)
    why = errno;
  if (why && !temporary.empty())
    ::unlink(temporary.c_str());
  releaseSlot(slot);
  slot = -1;
  return why ? failure(why) : "";
}

void OutputFile::discard() {
  if (done)
    return;
  done = true;
  if (closeFd && fd >= 0)
    ::close(fd);
  fd = -1;
  if (!temporary.empty())
    ::unlink(temporary.c_str());
  releaseSlot(slot);
  slot = -1;
}

//===----------------------------------------------------------------------===//

std::string agtf::runtime::writeFile(const std::string &path,
                                     std::string_view text,
                                     OutputFile::Dash dash) {
  std::string error;
  std::unique_ptr<OutputFile> file = OutputFile::open(path, error, dash);
  if (!file)
    return error;
  file->write(text);
  return file->commit();
}

std::string agtf::runtime::checkWritable(const std::string &path) {
  Plan plan;
  std::string error;
  if (!planFor(path, plan, error))
    return error;
  if (plan.kind == Plan::InPlace)
    return ::access(path.c_str(), W_OK) == 0
               ? ""
               : cannotWrite(path, std::strerror(errno));
  std::unique_ptr<OutputFile> file = OutputFile::open(path, error);
  return file ? "" : error;
}
