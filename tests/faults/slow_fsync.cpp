// LD_PRELOAD shim for tests/faults/faults.py: makes fsync() take ten
// seconds, so that a test can interrupt mrv while its output sits in the
// temporary file, just before the rename. On entry it creates the file
// named by $MRV_FSYNC_MARKER, which tells the test that the moment has come.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

extern "C" int fsync(int fd) {
  if (const char* marker = std::getenv("MRV_FSYNC_MARKER")) {
    const int created = ::open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (created >= 0) ::close(created);
  }
  timespec delay{10, 0};
  while (::nanosleep(&delay, &delay) != 0) {
  }
  using Fsync = int (*)(int);
  static const auto real = reinterpret_cast<Fsync>(::dlsym(RTLD_NEXT, "fsync"));
  return real(fd);
}
