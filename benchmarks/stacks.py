#!/usr/bin/python3
"""Where the CPU goes, from an async-profiler collapsed-stack file (benchmarks/profile.sh).

  stacks.py FILE [FILES_MOVED]

Buckets each sampled stack: JIT compiler and GC threads by their thread, every other stack by the frame nearest its
leaf that some rule matches (a stack that hashes with MD5 inside our code counts as MD5; a futex wait inside Reactor
counts as a hand-off), and prints the share of samples per bucket, per thread kind, and the top leaf frames.
"""
import collections
import re
import sys

THREAD_RULES = [
    ('JIT compiler', r'CompileBroker|C2Compiler|Compilation::'),
    ('GC', r'G1|GCTaskThread|ConcurrentGCThread|WorkerThread::run|VM_Operation'),
]
RULES = [
    ('MD5', r'sun/security/provider/MD5|md5_implCompress|DigestBase'),
    ('park/unpark (thread hand-offs)', r'futex|LockSupport|Unsafe_Park|Unsafe_Unpark|pthread_cond|try_to_wake_up'
                                       r'|eventfd_write|EventFD|wakeup'),
    ('file system (open/write/rename/close)', r'FileDispatcherImpl|FileChannelImpl|UnixNativeDispatcher'
                                              r'|UnixFileSystemProvider|UnixPath|ext4_|vfs_|do_sys_open|rename'
                                              r'|__x64_sys_(openat|close|write|pwrite|unlink|fsync|newfstat|statx)'),
    ('epoll wait/ctl', r'epollWait|epoll_wait|ep_poll|epoll_ctl|epollCtl|do_epoll|epollBusyWait'),
    ('socket I/O', r'tcp_|sock_|__sys_sendto|__sys_recvfrom|writev|readv|sendmsg|recvmsg'
                   r'|unix/FileDescriptor\.(read|write)|sendfile|splice'),
    ('JSON (Jackson)', r'tools/jackson'),
    ('HTTP codec (Netty)', r'io/netty/handler/codec'),
    ('class loading / interpreter', r'SystemDictionary|ClassLoader|ClassFileParser|InterpreterRuntime|Interpreter'
                                    r'|LinkResolver|Rewriter'),
    ('Reactor operators', r'reactor/core'),
    ('Netty other', r'io/netty'),
    ('xnat-reactive code', r'io/github/xnatreactive'),
]


def bucket(stack, frames):
    for name, rule in THREAD_RULES:
        if re.search(rule, stack):
            return name
    for frame in reversed(frames):
        for name, rule in RULES:
            if re.search(rule, frame):
                return name
    return 'other'


def main(path, files=None):
    buckets = collections.Counter()
    threads = collections.Counter()
    leaves = collections.Counter()
    total = 0
    for line in open(path):
        stack, _, n = line.rstrip('\n').rpartition(' ')
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        frames = stack.split(';')
        m = re.match(r'\[(.*?)(?: tid=\d+)?\]$', frames[0])
        if m:
            threads[re.sub(r'[-_#]?\d+$', '', m.group(1)).strip()] += n
        leaves[frames[-1]] += n
        buckets[bucket(stack, frames)] += n
    if not total:
        print('  (no samples)')
        return
    per = ' (%.2f ms CPU per file at 1 sample/ms)' % (total / int(files)) if files else ''
    print('  %d samples%s' % (total, per))
    for name, n in buckets.most_common():
        print('    %5.1f%%  %s' % (100 * n / total, name))
    print('  by thread: ' + ', '.join('%s %d%%' % (k, 100 * v // total) for k, v in threads.most_common(6)))
    print('  top leaf frames: ' + ', '.join('%s %.1f%%' % (k, 100 * v / total) for k, v in leaves.most_common(8)))


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
