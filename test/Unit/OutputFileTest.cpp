//===- OutputFileTest.cpp - how every tool writes a file ------------------===//
//
// OutputFile's rules (runtime/OutputFile.h): a regular file is replaced
// whole through a temporary, a device or fifo is written in place, a
// directory or a dangling link is refused, and every failure names the
// file and leaves no temporary. A full disk is /dev/full in place, and
// RLIMIT_FSIZE for a temporary (the tools' tests use a full tmpfs).
//
//===----------------------------------------------------------------------===//

#include "runtime/OutputFile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace agtf::runtime;

namespace {

class OutputFileTest : public testing::Test {
protected:
  void SetUp() override {
    std::string base = testing::TempDir() + "agtf-output-XXXXXX";
    std::vector<char> name(base.begin(), base.end());
    name.push_back('\0');
    ASSERT_NE(mkdtemp(name.data()), nullptr);
    dir = name.data();
  }
  void TearDown() override {
    for (const std::string &name : entries())
      ::unlink((dir + "/" + name).c_str());
    ::rmdir(dir.c_str());
  }

  std::string at(const std::string &name) const { return dir + "/" + name; }

  /// The names in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    if (DIR *d = ::opendir(dir.c_str())) {
      while (dirent *e = ::readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
          names.push_back(e->d_name);
      ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir;
};

std::string contents(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t kindOf(const std::string &path) {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0 ? info.st_mode & S_IFMT : 0;
}

/// Writes past `limit` bytes fail with EFBIG, as on a full disk; SIGXFSZ is
/// ignored meanwhile, so that the write returns the error.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t limit) {
    ::getrlimit(RLIMIT_FSIZE, &saved);
    rlimit lower = saved;
    lower.rlim_cur = limit;
    ::setrlimit(RLIMIT_FSIZE, &lower);
    oldHandler = std::signal(SIGXFSZ, SIG_IGN);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);
  }

private:
  rlimit saved;
  void (*oldHandler)(int);
};

} // namespace

TEST_F(OutputFileTest, WritesANewFileAndLeavesNoTemporary) {
  EXPECT_EQ(writeFile(at("out.txt"), "hello\n"), "");
  EXPECT_EQ(contents(at("out.txt")), "hello\n");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.txt"});
}

TEST_F(OutputFileTest, TheTargetAppearsOnlyAtCommit) {
  std::ofstream(at("out.txt")) << "old";
  std::string error;
  auto file = OutputFile::open(at("out.txt"), error);
  ASSERT_TRUE(file) << error;
  EXPECT_NE(file->writtenPath(), at("out.txt"));
  EXPECT_TRUE(file->write("new"));
  EXPECT_EQ(contents(at("out.txt")), "old");
  EXPECT_EQ(file->commit(), "");
  EXPECT_EQ(contents(at("out.txt")), "new");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.txt"});
}

TEST_F(OutputFileTest, AReplacedFileKeepsItsPermissions) {
  std::ofstream(at("out.txt")) << "old";
  ASSERT_EQ(::chmod(at("out.txt").c_str(), 0640), 0);
  EXPECT_EQ(writeFile(at("out.txt"), "new"), "");
  struct stat info;
  ASSERT_EQ(::stat(at("out.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
}

TEST_F(OutputFileTest, AReplacedFileKeepsItsOwner) {
  if (::getuid() != 0)
    GTEST_SKIP() << "only root may give a file to another owner";
  std::ofstream(at("out.txt")) << "old";
  ASSERT_EQ(::chown(at("out.txt").c_str(), 1234, 5678), 0);
  EXPECT_EQ(writeFile(at("out.txt"), "new"), "");
  struct stat info;
  ASSERT_EQ(::stat(at("out.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 1234u);
  EXPECT_EQ(info.st_gid, 5678u);
}

TEST_F(OutputFileTest, AReadOnlyFileIsRefused) {
  if (::getuid() == 0)
    GTEST_SKIP() << "root may write any file";
  std::ofstream(at("out.txt")) << "old";
  ASSERT_EQ(::chmod(at("out.txt").c_str(), 0444), 0);
  EXPECT_EQ(writeFile(at("out.txt"), "new"),
            "cannot write '" + at("out.txt") + "': Permission denied");
  EXPECT_EQ(contents(at("out.txt")), "old");
}

TEST_F(OutputFileTest, WithoutCommitNothingChanges) {
  std::ofstream(at("out.txt")) << "old";
  {
    std::string error;
    auto file = OutputFile::open(at("out.txt"), error);
    ASSERT_TRUE(file) << error;
    file->write("half of it");
  }
  EXPECT_EQ(contents(at("out.txt")), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.txt"});
}

TEST_F(OutputFileTest, ADeviceIsWrittenInPlaceAndStaysADevice) {
  EXPECT_EQ(writeFile("/dev/null", "discarded"), "");
  EXPECT_EQ(kindOf("/dev/null"), mode_t(S_IFCHR));
  EXPECT_EQ(checkWritable("/dev/null"), "");
}

TEST_F(OutputFileTest, AFifoIsWrittenInPlace) {
  ASSERT_EQ(::mkfifo(at("pipe").c_str(), 0600), 0);
  std::string read;
  std::thread reader([&] { read = contents(at("pipe")); });
  EXPECT_EQ(writeFile(at("pipe"), "through the pipe"), "");
  reader.join();
  EXPECT_EQ(read, "through the pipe");
  EXPECT_EQ(kindOf(at("pipe")), mode_t(S_IFIFO));
  EXPECT_EQ(entries(), std::vector<std::string>{"pipe"});
}

TEST_F(OutputFileTest, ALinkStaysALinkAndItsTargetIsReplaced) {
  std::ofstream(at("real.txt")) << "old";
  ASSERT_EQ(::symlink("real.txt", at("link.txt").c_str()), 0);
  EXPECT_EQ(writeFile(at("link.txt"), "new"), "");
  EXPECT_EQ(kindOf(at("link.txt")), mode_t(S_IFLNK));
  EXPECT_EQ(contents(at("real.txt")), "new");
  EXPECT_EQ(entries(), (std::vector<std::string>{"link.txt", "real.txt"}));
}

TEST_F(OutputFileTest, RefusesADanglingLinkADirectoryAndAMissingDirectory) {
  ASSERT_EQ(::symlink("nowhere.txt", at("link.txt").c_str()), 0);
  EXPECT_EQ(writeFile(at("link.txt"), "x"),
            "cannot write '" + at("link.txt") +
                "': it is a symbolic link to a file that does not exist");
  EXPECT_EQ(writeFile(dir, "x"),
            "cannot write '" + dir + "': it is a directory");
  EXPECT_EQ(checkWritable(dir),
            "cannot write '" + dir + "': it is a directory");
  EXPECT_EQ(writeFile(at("missing/out.txt"), "x"),
            "cannot write '" + at("missing/out.txt") +
                "': No such file or directory");
  EXPECT_EQ(writeFile("", "x"), "cannot write '': the name is empty");
  EXPECT_EQ(entries(), std::vector<std::string>{"link.txt"});
}

TEST_F(OutputFileTest, AFullDeviceFailsNamingIt) {
  EXPECT_EQ(writeFile("/dev/full", "x"),
            "cannot write '/dev/full': No space left on device");
}

TEST_F(OutputFileTest, AFailedWriteRemovesTheTemporaryAndKeepsTheOldFile) {
  std::ofstream(at("out.txt")) << "old";
  std::string error;
  {
    FileSizeLimit limit(1000);
    error = writeFile(at("out.txt"), std::string(5000, 'x'));
  }
  EXPECT_EQ(error, "cannot write '" + at("out.txt") + "': File too large");
  EXPECT_EQ(contents(at("out.txt")), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.txt"});
}

TEST_F(OutputFileTest, AStreamNeverFailsTowardsItsWriter) {
  std::string error;
  auto file = OutputFile::open("/dev/full", error);
  ASSERT_TRUE(file) << error;
  file->stream() << std::string(200000, 'x') << std::flush;
  EXPECT_TRUE(file->stream().good());
  EXPECT_EQ(file->commit(),
            "cannot write '/dev/full': No space left on device");
}

TEST_F(OutputFileTest, AStreamAndWritesKeepTheirOrder) {
  std::string error;
  auto file = OutputFile::open(at("out.txt"), error);
  ASSERT_TRUE(file) << error;
  std::string big(100000, 'y');
  file->stream() << "a" << big;
  file->write("b");
  file->stream() << "c";
  EXPECT_EQ(file->commit(), "");
  EXPECT_EQ(contents(at("out.txt")), "a" + big + "bc");
}

TEST_F(OutputFileTest, NeverWritesIntoAnotherProcesssTemporary) {
  std::string stale = at("out.txt.tmp." + std::to_string(::getpid()));
  std::ofstream(stale) << "not ours";
  EXPECT_EQ(writeFile(at("out.txt"), "new"), "");
  EXPECT_EQ(contents(stale), "not ours");
  EXPECT_EQ(contents(at("out.txt")), "new");
}

TEST_F(OutputFileTest, CheckWritableLeavesNothingBehind) {
  EXPECT_EQ(checkWritable(at("out.txt")), "");
  EXPECT_TRUE(entries().empty());
  EXPECT_NE(checkWritable(at("missing/out.txt")), "");
}

TEST_F(OutputFileTest, DashIsStdoutWhenAsked) {
  int saved = ::dup(STDOUT_FILENO);
  int full = ::open("/dev/full", O_WRONLY);
  ASSERT_GE(full, 0);
  ::dup2(full, STDOUT_FILENO);
  std::string error = writeFile("-", "x", OutputFile::Dash::IsStdout);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  ::close(full);
  EXPECT_EQ(error, "cannot write to stdout: No space left on device");
  // Otherwise "-" is a name like any other.
  char cwd[PATH_MAX];
  ASSERT_NE(::getcwd(cwd, sizeof(cwd)), nullptr);
  ASSERT_EQ(::chdir(dir.c_str()), 0);
  EXPECT_EQ(writeFile("-", "x"), "");
  ASSERT_EQ(::chdir(cwd), 0);
  EXPECT_EQ(entries(), std::vector<std::string>{"-"});
}

// A signal or exit() while a file is open removes the temporary, and the
// handler that was there before still runs.
TEST_F(OutputFileTest, SignalsAndExitRemoveTheTemporary) {
  enum Ending { Terminated, OwnHandler, Exited };
  for (Ending ending : {Terminated, OwnHandler, Exited}) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (ending == OwnHandler)
        std::signal(SIGTERM, [](int) { _exit(3); });
      std::string error;
      auto file = OutputFile::open(at("out.txt"), error);
      if (!file || kindOf(file->writtenPath()) != S_IFREG)
        _exit(2);
      file->write("half of it");
      if (ending == Exited)
        std::exit(4);
      ::raise(SIGTERM);
      _exit(5);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    if (ending == Terminated) {
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
    } else {
      ASSERT_TRUE(WIFEXITED(status)) << status;
      EXPECT_EQ(WEXITSTATUS(status), ending == OwnHandler ? 3 : 4);
    }
    EXPECT_TRUE(entries().empty()) << "after ending " << ending;
    for (const std::string &name : entries())
      ::unlink(at(name).c_str());
  }
}
