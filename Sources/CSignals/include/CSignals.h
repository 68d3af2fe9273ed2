// Signals delivered as bytes on a pipe: a plain sigaction handler (async-
// signal-safe: one write(2)) turns each signal into its number on the pipe
// registered for it, and a thread of the caller's reads it there. No policy,
// no threads and no dispatch sources here (see FERSignals.SignalWatcher).
#ifndef CSIGNALS_H
#define CSIGNALS_H

#ifdef __cplusplus
extern "C" {
#endif

/// A close-on-exec pipe for routing: fds[0] to read (blocking), fds[1] to
/// write (non-blocking: the handler never waits). Returns 0, or -1 with errno.
int fc_signal_pipe(int fds[2]);

/// Routes `signo` to `write_fd`: installs the handler (SA_RESTART) that
/// writes one byte (the signal number) there. Returns 0, or -1 with errno.
int fc_signal_route(int signo, int write_fd);

/// Stops routing `signo` and restores its default action. Returns 0 or -1.
int fc_signal_unroute(int signo);

#ifdef __cplusplus
}
#endif
#endif
