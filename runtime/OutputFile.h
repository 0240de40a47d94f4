//===- OutputFile.h - how every tool writes a file --------------*- C++ -*-===//
//
// Every file the tools write (agtf-import's graph, agtf-opt's and
// agtf-translate's -o, the cluster file, traces, training's --save and
// --log) goes through here, so that each follows one rule: a file is
// either there whole or not at all, and a failure says which file.
//
// - A regular file, or a name that does not exist yet: the bytes go to a
//   temporary beside it, FILE.tmp.<pid>, and commit() renames that onto
//   FILE. A symbolic link to a regular file is followed: its target is
//   replaced the same way and the link stays a link. A replaced file keeps
//   its owner (where the process may give it) and permission bits; its
//   other hard links, if any, keep the old contents. A file the process
//   may not write, or one in a directory it may not write, is refused.
// - A character or block device, a fifo or a socket (/dev/null,
//   /dev/stdout, a pipe): written in place, since a rename would put a
//   regular file where the device was.
// - Refused: a directory, and a symbolic link that leads nowhere.
//
// Every write and the close are checked. On any failure, or when the
// OutputFile is destroyed without commit(), the temporary is removed; so
// it is when SIGINT, SIGTERM or SIGHUP ends the process (the handler then
// passes the signal on to the one that was there before) and at exit().
// Nothing is synced to disk: the checks are those that write() and
// close() make.
//
// No LLVM here: the runtime half (agtf-run, agtf-profile) builds without it.
//
//===----------------------------------------------------------------------===//

#ifndef AGTF_RUNTIME_OUTPUTFILE_H
#define AGTF_RUNTIME_OUTPUTFILE_H

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace agtf::runtime {

class OutputFile {
public:
  /// Whether the name "-" is stdout (the MLIR tools' -o) or a file of that
  /// name.
  enum class Dash { IsAName, IsStdout };

  /// Opens `path` for writing as the rules above say. Null on failure, with
  /// `error` set to "cannot write 'PATH': why".
  static std::unique_ptr<OutputFile>
  open(const std::string &path, std::string &error, Dash dash = Dash::IsAName);
  OutputFile(const OutputFile &) = delete;
  OutputFile &operator=(const OutputFile &) = delete;
  /// Without commit(): discard().
  ~OutputFile();

  /// Appends `size` bytes. False once any write has failed; the first
  /// failure is what commit() reports.
  bool write(const void *data, size_t size);
  bool write(std::string_view text) { return write(text.data(), text.size()); }

  /// "" until a write fails, then "cannot write 'PATH': why" (what commit()
  /// will return), for a writer that stops at the first failure.
  std::string error() const;

  /// A stream onto the file, for writers that take a std::ostream
  /// (LibTorch's save). It never fails towards its writer: what fails is
  /// kept for commit(), so that a writer that cannot handle a failed stream
  /// (LibTorch's aborts) finishes and the error is reported here.
  std::ostream &stream();

  /// Writes out what stream() holds, closes the file and renames the
  /// temporary onto the target. "" on success, else "cannot write 'PATH':
  /// why", with the temporary removed. Once only.
  std::string commit();

  /// Abandons the output: closes it and removes the temporary.
  void discard();

  /// The name given to open().
  const std::string &path() const { return target; }

  /// Where the bytes go until commit(): the temporary, or the target
  /// itself when it is written in place.
  const std::string &writtenPath() const;

private:
  class StreamBuffer;
  OutputFile() = default;
  std::string failure(int error) const;
  /// write() without draining stream() first.
  bool writeDirect(const void *data, size_t size);

  std::string target;      // as given
  std::string destination; // what commit() renames onto (a link's target)
  std::string temporary;   // "" when written in place
  int fd = -1;
  bool closeFd = true; // false for stdout
  bool done = false;
  int firstError = 0; // errno of the first failed write
  int slot = -1;      // in the table the signal handler clears
  std::unique_ptr<StreamBuffer> buffer;
  std::unique_ptr<std::ostream> os;
};

/// Writes `text` to `path` through an OutputFile: "" or the error.
std::string writeFile(const std::string &path, std::string_view text,
                      OutputFile::Dash dash = OutputFile::Dash::IsAName);

/// "" when `path` could be opened by OutputFile::open now, else its error;
/// for a check before long work that writes at the end. Creates and removes
/// the temporary; a device or fifo is checked for write permission only
/// (opening a fifo would wait for a reader).
std::string checkWritable(const std::string &path);

} // namespace agtf::runtime

#endif // AGTF_RUNTIME_OUTPUTFILE_H
