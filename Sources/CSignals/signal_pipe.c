// The signal half of FERSignals: a sigaction handler that writes the signal
// number to the pipe registered for that signal, so the signal is handled on
// an ordinary thread, whichever thread the kernel delivered it to, with no
// signal mask to get right. Not libdispatch's signal sources: they depend on
// their own handler staying installed, and one `signal(SIG_IGN)` after their
// lazy registration silently loses every later signal.
#define _GNU_SOURCE
#include "CSignals.h"

#include <fcntl.h>
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define FC_NSIG 65

// Signal number → write end of its pipe, -1 when not routed. Read by the handler.
static volatile sig_atomic_t route_fd[FC_NSIG] = {
    [0 ... FC_NSIG - 1] = -1,
};

static void on_signal(int signo) {
    int saved = errno;                       // the interrupted code keeps its errno
    int fd = (signo > 0 && signo < FC_NSIG) ? route_fd[signo] : -1;
    if (fd >= 0) {
        unsigned char b = (unsigned char)signo;
        ssize_t n = write(fd, &b, 1);        // a full pipe drops the byte: signals coalesce anyway
        (void)n;
    }
    errno = saved;
}

int fc_signal_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    int fl = fcntl(fds[1], F_GETFL);
    if (fl < 0 || fcntl(fds[1], F_SETFL, fl | O_NONBLOCK) != 0) {
        int e = errno;
        close(fds[0]); close(fds[1]);
        errno = e;
        return -1;
    }
    return 0;
}

int fc_signal_route(int signo, int write_fd) {
    if (signo <= 0 || signo >= FC_NSIG || write_fd < 0) { errno = EINVAL; return -1; }
    route_fd[signo] = write_fd;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(signo, &sa, NULL) != 0) { route_fd[signo] = -1; return -1; }
    // A signal blocked in this thread (inherited mask) would never reach the handler here.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return 0;
}

int fc_signal_unroute(int signo) {
    if (signo <= 0 || signo >= FC_NSIG) { errno = EINVAL; return -1; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    int r = sigaction(signo, &sa, NULL);
    route_fd[signo] = -1;
    return r;
}
